import { describe, expect, it } from 'vitest';
import { mean, percentile, round1 } from '../src/stats.js';

describe('percentile', () => {
  it('is the nearest rank: always one of the values, never interpolated', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 0.05)).toBe(15);
    expect(percentile(values, 0.3)).toBe(20);
    expect(percentile(values, 0.4)).toBe(20);
    expect(percentile(values, 0.5)).toBe(35);
    expect(percentile(values, 1)).toBe(50);
    // Interpolation would give 48 here.
    expect(percentile(values, 0.95)).toBe(50);
  });

  it('does not need sorted input and leaves its input alone', () => {
    const values = [9, 1, 5, 3, 7];
    expect(percentile(values, 0.5)).toBe(5);
    expect(values).toEqual([9, 1, 5, 3, 7]);
  });

  it('gives the lowest value for q = 0 and 0 for no values', () => {
    expect(percentile([4, 2, 8], 0)).toBe(2);
    expect(percentile([], 0.95)).toBe(0);
  });
});

describe('mean and round1', () => {
  it('averages, with 0 for no values', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBe(0);
  });

  it('rounds to a tenth', () => {
    expect(round1(1042.46)).toBe(1042.5);
    expect(round1(2.25)).toBe(2.3);
  });
});
