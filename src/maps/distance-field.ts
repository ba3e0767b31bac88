import type { OccupancyMap } from './map.js';

/**
 * Squared Euclidean distance (in cells²) from each cell centre to the nearest occupied cell centre,
 * by Felzenszwalb & Huttenlocher's separable transform: O(cells), exact.
 */
export function squaredDistanceToObstacles(map: Pick<OccupancyMap, 'width' | 'height' | 'occupied'>): Float64Array {
  const { width, height, occupied } = map;
  const far = (width + height) ** 2 + 1;
  const out = new Float64Array(width * height);
  const size = Math.max(width, height);
  const f = new Float64Array(size);
  const d = new Float64Array(size);
  const v = new Int32Array(size);
  const z = new Float64Array(size + 1);

  // Lower envelope of the parabolas rooted at each cell; `far` is finite so the intersections never become NaN.
  const transform1d = (n: number): void => {
    let k = 0;
    v[0] = 0;
    z[0] = -Infinity;
    z[1] = Infinity;
    const intersection = (q: number, p: number): number => ((f[q] as number) + q * q - ((f[p] as number) + p * p)) / (2 * (q - p));
    for (let q = 1; q < n; q++) {
      let s = intersection(q, v[k] as number);
      while (s <= (z[k] as number)) {
        k--;
        s = intersection(q, v[k] as number);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Infinity;
    }
    k = 0;
    for (let q = 0; q < n; q++) {
      while ((z[k + 1] as number) < q) k++;
      const p = v[k] as number;
      d[q] = (q - p) * (q - p) + (f[p] as number);
    }
  };

  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = occupied[y * width + x] === 1 ? 0 : far;
    transform1d(height);
    for (let y = 0; y < height; y++) out[y * width + x] = d[y] as number;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) f[x] = out[row + x] as number;
    transform1d(width);
    for (let x = 0; x < width; x++) out[row + x] = d[x] as number;
  }
  return out;
}
