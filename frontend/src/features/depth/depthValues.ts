// Depth in metres in the browser: the 16-bit PNG decoded at full precision (a canvas would give 8 bits) and
// turned back into metres with the linear range its `<stem>_depth.json` states.

import { decode } from "fast-png";
import type { Png16Range } from "../../api/types";

/** A depth map's raw 16-bit values, row by row. */
export interface DepthRaster {
  width: number;
  height: number;
  values: Uint16Array;
}

/** Decode a 16-bit grayscale PNG; anything else is refused rather than misread. */
export function decodeDepth16(bytes: ArrayBuffer | Uint8Array): DepthRaster {
  const png = decode(bytes);
  if (png.depth !== 16 || png.channels !== 1 || !(png.data instanceof Uint16Array)) {
    throw new Error(`not a 16-bit grayscale PNG (${png.channels} channels, ${png.depth} bits)`);
  }
  return { width: png.width, height: png.height, values: png.data };
}

/** Metres of one 16-bit value. */
export function metresOf(value: number, range: Png16Range): number {
  return range.min_m + ((value - range.near) / (range.far - range.near)) * (range.max_m - range.min_m);
}

/**
 * The depth in metres at a point given as fractions (0–1) of the shown image's width and height; null outside.
 * The shown image has the raster's aspect, so the fractions pick the pixel under the pointer.
 */
export function depthAt(raster: DepthRaster, range: Png16Range, fx: number, fy: number): number | null {
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
  const x = Math.min(raster.width - 1, Math.floor(fx * raster.width));
  const y = Math.min(raster.height - 1, Math.floor(fy * raster.height));
  return metresOf(raster.values[y * raster.width + x], range);
}

/**
 * "0.853 m", "4.27 m", "31.6 m", "152 m": three significant figures, or `decimals` when more are needed (a
 * narrow range, see `decimalsFor`).
 */
export function formatMetres(metres: number, decimals = 0): string {
  const size = Math.abs(metres);
  const significant = size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : 3;
  return `${metres.toFixed(Math.max(significant, decimals))} m`;
}

/** Decimals that tell `count` evenly spaced labels from `min` to `max` apart (at most 6). */
export function decimalsFor(min: number, max: number, count = 5): number {
  const step = (max - min) / (count - 1);
  return step > 0 ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(step)))) : 0;
}

/** `count` evenly spaced values from `min` to `max` (both included), for the legend's labels. */
export function legendTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  return Array.from({ length: count }, (_, i) => min + ((max - min) * i) / (count - 1));
}
