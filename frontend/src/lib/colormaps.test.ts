import { describe, expect, it } from "vitest";
import { COLORMAPS } from "../api/types";
import { applyLut, colormapLut, colormapRgb, reversedLut } from "./colormaps";

const close = (a: number[], b: number[], tolerance = 6) => a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

describe("colormaps", () => {
  it.each([
    ["viridis", 0, [68, 1, 84]],
    ["viridis", 1, [253, 231, 37]],
    ["magma", 0, [0, 0, 4]],
    ["magma", 1, [252, 253, 191]],
    ["inferno", 1, [252, 255, 164]],
    ["plasma", 0, [13, 8, 135]],
    ["plasma", 1, [240, 249, 33]],
    ["gray", 0.5, [128, 128, 128]],
    ["jet", 0, [0, 0, 128]],
    ["jet", 1, [128, 0, 0]],
  ] as const)("%s(%d) is close to matplotlib's", (name, t, expected) => {
    expect(close(colormapRgb(name, t), [...expected])).toBe(true);
  });

  it("turbo runs from dark blue through green to dark red", () => {
    const [r0, , b0] = colormapRgb("turbo", 0.15);
    const [, gMid] = colormapRgb("turbo", 0.5);
    const [r1, , b1] = colormapRgb("turbo", 1);
    expect(b0).toBeGreaterThan(r0);
    expect(gMid).toBeGreaterThan(200);
    expect(r1).toBeGreaterThan(b1);
  });

  it("builds a 256-entry table for every map and recolours pixels from their gray level", () => {
    for (const name of COLORMAPS) expect(colormapLut(name)).toHaveLength(768);
    const pixels = new Uint8ClampedArray([0, 0, 0, 255, 255, 255, 255, 128]);
    applyLut(pixels, colormapLut("viridis"));
    expect(close([...pixels.slice(0, 3)], [68, 1, 84])).toBe(true);
    expect(close([...pixels.slice(4, 7)], [253, 231, 37])).toBe(true);
    expect(pixels[3]).toBe(255);
    expect(pixels[7]).toBe(128);
  });

  it("reads a reversed table from the other end, so that the nearest depth (gray 0) is bright", () => {
    const pixels = new Uint8ClampedArray([0, 0, 0, 255, 255, 255, 255, 255]);
    applyLut(pixels, reversedLut(colormapLut("viridis")));
    expect(close([...pixels.slice(0, 3)], [253, 231, 37])).toBe(true);
    expect(close([...pixels.slice(4, 7)], [68, 1, 84])).toBe(true);
  });
});
