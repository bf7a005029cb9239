// Colour maps for recolouring a depth map in the browser, from its 16-bit grayscale file.
// magma/inferno/plasma/viridis: degree-6 polynomial fits of matplotlib's maps; turbo: Google's
// polynomial approximation; jet: the classic piecewise-linear ramp. Accurate to a few levels of 255.

import type { Colormap } from "../api/types";

type Vec3 = [number, number, number];
type Poly = Vec3[];

const POLYNOMIALS: Record<"viridis" | "plasma" | "magma" | "inferno", Poly> = {
  viridis: [
    [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
    [0.1050930431085774, 1.404613529898575, 1.384590162594685],
    [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
    [-4.634230498983486, -5.799100973351585, -19.33244095627987],
    [6.228269936347081, 14.17993336680509, 56.69055260068105],
    [4.776384997670288, -13.74514537774601, -65.35303263337234],
    [-5.435455855934631, 4.645852612178535, 26.3124352495832],
  ],
  plasma: [
    [0.05873234392399702, 0.02333670892565664, 0.5433401826748754],
    [2.176514634195958, 0.2383834171260182, 0.7539604599784036],
    [-2.689460476458034, -7.455851135738909, 3.110799939717086],
    [6.130348345893603, 42.3461881477227, -28.51885465332158],
    [-11.10743619062271, -82.66631109428045, 60.13984767418263],
    [10.02306557647065, 71.41361770095349, -54.07218655560067],
    [-3.658713842777788, -22.93153465461149, 18.19190778539828],
  ],
  magma: [
    [-0.002136485053939582, -0.000749655052795221, -0.005386127855323933],
    [0.2516605407371642, 0.6775232436837668, 2.494026599312351],
    [8.353717279216625, -3.577719514958484, 0.3144679030132573],
    [-27.66873308576866, 14.26473078096533, -13.64921318813922],
    [52.17613981234068, -27.94360607168351, 12.94416944238394],
    [-50.76852536473588, 29.04658282127291, 4.23415299384598],
    [18.65570506591883, -11.48977351997711, -5.601961508734096],
  ],
  inferno: [
    [0.0002189403691192265, 0.001651004631001012, -0.01948089843709184],
    [0.1065134194856116, 0.5639564367884091, 3.932712388889277],
    [11.60249308247187, -3.972853965665698, -15.9423941062914],
    [-41.70399613139459, 17.43639888205313, 44.35414519872813],
    [77.162935699427, -33.40235894210092, -81.80730925738993],
    [-71.31942824499214, 32.62606426397723, 73.20951985803202],
    [25.13112622477341, -12.24266895238567, -23.07032500287172],
  ],
};

const TURBO: Vec3[] = [
  [0.13572138, 0.0914026, 0.1066733],
  [4.6153926, 2.19418839, 12.64194608],
  [-42.66032258, 4.84296658, -60.58204836],
  [132.13108234, -14.18503333, 110.36276771],
  [-152.94239396, 4.27729857, -89.90310912],
  [59.28637943, 2.82956604, 27.34824973],
];

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

function evalPoly(coefficients: Vec3[], t: number): Vec3 {
  const out: Vec3 = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let value = 0;
    for (let k = coefficients.length - 1; k >= 0; k--) value = value * t + coefficients[k][c];
    out[c] = clamp01(value);
  }
  return out;
}

/** The colour of `t` (0–1) in `name`, as 0–255 RGB. */
export function colormapRgb(name: Colormap, t: number): Vec3 {
  const x = clamp01(t);
  let rgb: Vec3;
  if (name === "gray") rgb = [x, x, x];
  else if (name === "turbo") rgb = evalPoly(TURBO, x);
  else if (name === "jet") rgb = [clamp01(1.5 - Math.abs(4 * x - 3)), clamp01(1.5 - Math.abs(4 * x - 2)), clamp01(1.5 - Math.abs(4 * x - 1))];
  else rgb = evalPoly(POLYNOMIALS[name], x);
  return [Math.round(rgb[0] * 255), Math.round(rgb[1] * 255), Math.round(rgb[2] * 255)];
}

/** 256 RGB entries, for mapping 8-bit gray values. */
export function colormapLut(name: Colormap): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(colormapRgb(name, i / 255), i * 3);
  return lut;
}

/** The same LUT read from the other end (gray 0 takes the colour of 255). */
export function reversedLut(lut: Uint8ClampedArray): Uint8ClampedArray {
  const reversed = new Uint8ClampedArray(lut.length);
  for (let i = 0; i < 256; i++) reversed.set(lut.subarray((255 - i) * 3, (255 - i) * 3 + 3), i * 3);
  return reversed;
}

/** Recolour RGBA pixels in place, reading the gray level from the red channel. */
export function applyLut(pixels: Uint8ClampedArray, lut: Uint8ClampedArray): void {
  for (let i = 0; i < pixels.length; i += 4) {
    const g = pixels[i] * 3;
    pixels[i] = lut[g];
    pixels[i + 1] = lut[g + 1];
    pixels[i + 2] = lut[g + 2];
  }
}
