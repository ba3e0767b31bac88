import { describe, expect, it } from 'vitest';
import { addressSlots } from '../../src/console/address-slots.js';

describe('per-address connection slots', () => {
  it('gives each address at most the limit, and a slot given back can be taken again', () => {
    const slots = addressSlots(2);
    const first = slots.take('192.0.2.1');
    const second = slots.take('192.0.2.1');
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(slots.take('192.0.2.1')).toBeNull();
    expect(slots.take('192.0.2.2')).not.toBeNull();
    first?.();
    expect(slots.held('192.0.2.1')).toBe(1);
    expect(slots.take('192.0.2.1')).not.toBeNull();
  });

  it('counts a slot given back twice only once', () => {
    const slots = addressSlots(1);
    const release = slots.take('192.0.2.1');
    const other = slots.take('192.0.2.3');
    release?.();
    release?.();
    expect(slots.held('192.0.2.1')).toBe(0);
    expect(slots.held('192.0.2.3')).toBe(1);
    other?.();
    expect(slots.held('192.0.2.3')).toBe(0);
  });
});
