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
 * "0.85 m", "4.3 m", "32 m", "150 m": two significant figures, the precision of a monocular model's metres for an
 * uncalibrated camera (the scale comes from the weights' single global calibration).
 */
export function formatMetres(metres: number): string {
  if (!Number.isFinite(metres)) return "–";
  const rounded = Number(metres.toPrecision(2));
  if (rounded === 0) return "0 m";
  return `${rounded.toFixed(Math.max(0, 1 - Math.floor(Math.log10(Math.abs(rounded)))))} m`;
}

/** Whether a map is nearly flat: its depths span under 1 % of their median, so its colours show noise. */
export function nearlyFlat(minM: number, maxM: number, medianM: number): boolean {
  return maxM - minM < 0.01 * Math.abs(medianM);
}

/** `count` evenly spaced values from `min` to `max` (both included), for the legend's labels. */
export function legendTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  return Array.from({ length: count }, (_, i) => min + ((max - min) * i) / (count - 1));
}
