// Heat over time in the browser: the cumulative heat of a job's `heat_slices.npy` up to a slice, coloured on one
// fixed scale (the finished heatmap's 99th percentile, as in `recap.mp4`), so the colours only grow.
import type { NpyArray } from "../../lib/npy";

export interface Slices {
  count: number;
  rows: number;
  cols: number;
  /** Running totals: `totals[k]` is the heat of slices 0..k, (rows × cols) each. */
  totals: Float32Array[];
  /** The colour scale's top, in person-seconds per cell. */
  top: number;
}

/** The running totals of a `(T, rows, cols)` float32 array, and its colour scale. */
export function accumulateSlices({ shape, data }: NpyArray): Slices {
  if (shape.length !== 3) throw new Error(`heat slices must be (T, H, W), got (${shape.join(", ")})`);
  const [count, rows, cols] = shape;
  const cells = rows * cols;
  const totals: Float32Array[] = [];
  let running = new Float32Array(cells);
  for (let k = 0; k < count; k++) {
    const next = new Float32Array(running);
    for (let i = 0; i < cells; i++) next[i] += data[k * cells + i];
    totals.push(next);
    running = next;
  }
  const heated = Array.from(running)
    .filter((v) => v > 0)
    .sort((a, b) => a - b);
  const top = heated.length ? heated[Math.min(heated.length - 1, Math.floor(0.99 * (heated.length - 1)))] : 1;
  return { count, rows, cols, totals, top };
}

/** RGBA pixels (rows × cols) of a total: `lut` (256 RGB triples) colours, alpha `opacity` ramped over the lowest
 * tenth of the scale so empty cells stay transparent, as `heatmap.png` blends them. */
export function heatPixels(total: Float32Array, top: number, lut: Uint8ClampedArray, opacity = 0.6): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(total.length * 4);
  for (let i = 0; i < total.length; i++) {
    const value = Math.min(1, Math.max(0, total[i] / top));
    const level = Math.round(value * 255);
    pixels.set([lut[level * 3], lut[level * 3 + 1], lut[level * 3 + 2], Math.round(255 * opacity * Math.min(1, value * 10))], i * 4);
  }
  return pixels;
}

/** The side of the pixel blocks of one slice cell, as the server chooses it (`heat.slice_factor`). */
export function sliceFactor(width: number, height: number): number {
  return Math.max(4, Math.ceil(Math.max(width, height) / 160));
}
