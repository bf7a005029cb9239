import { describe, expect, it } from "vitest";
import type { Png16Range } from "../../api/types";
import { decodeDepth16, depthAt, formatMetres, legendTicks, metresOf, nearlyFlat } from "./depthValues";

// A 4x3 16-bit grayscale PNG written by the backend's encoder (OpenCV, 'average' filter), values:
//     0  1000  20000  65535
//   300 40000  65535      0
// 12345 54321      7  65000
const BACKEND_PNG16 = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADEAAAAADBDy1ZAAAAJElEQVQIHWNmYGB+4bvmxntmRp1Z27rOMzIyGyjnfRXP//sUAIIkCquqReCRAAAAAElFTkSuQmCC";
const bytes = () => Uint8Array.from(atob(BACKEND_PNG16), (c) => c.charCodeAt(0));
const RANGE: Png16Range = { near: 0, far: 65535, min_m: 0.5, max_m: 20.5 };

describe("decodeDepth16", () => {
  it("reads the backend's 16-bit PNG at full precision", () => {
    const raster = decodeDepth16(bytes());
    expect([raster.width, raster.height]).toEqual([4, 3]);
    expect(Array.from(raster.values)).toEqual([0, 1000, 20000, 65535, 300, 40000, 65535, 0, 12345, 54321, 7, 65000]);
  });

  it("refuses an 8-bit image", () => {
    // 1x1 8-bit grayscale PNG.
    const eight = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVQIHWNgAAAAAgABz8g15QAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
    expect(() => decodeDepth16(eight)).toThrow(/16-bit grayscale/);
  });
});

describe("metres", () => {
  it("maps near to min_m and far to max_m, linearly", () => {
    expect(metresOf(0, RANGE)).toBe(0.5);
    expect(metresOf(65535, RANGE)).toBe(20.5);
    expect(metresOf(32767.5, RANGE)).toBeCloseTo(10.5, 9);
  });

  it("reads the value under a point of the shown image", () => {
    const raster = decodeDepth16(bytes());
    expect(depthAt(raster, RANGE, 0, 0)).toBe(0.5);
    // Column 1 of 4, row 1 of 3: 40000.
    expect(depthAt(raster, RANGE, 0.3, 0.5)).toBeCloseTo(0.5 + (40000 / 65535) * 20, 9);
    // The bottom-right edge belongs to the last pixel (65000).
    expect(depthAt(raster, RANGE, 1, 1)).toBeCloseTo(0.5 + (65000 / 65535) * 20, 9);
    expect(depthAt(raster, RANGE, -0.01, 0.5)).toBeNull();
    expect(depthAt(raster, RANGE, 0.5, 1.2)).toBeNull();
  });

  it("formats two significant figures: the precision of relative metres", () => {
    expect(formatMetres(0.8532)).toBe("0.85 m");
    expect(formatMetres(4.2712)).toBe("4.3 m");
    expect(formatMetres(31.64)).toBe("32 m");
    expect(formatMetres(152.4)).toBe("150 m");
    expect(formatMetres(9.96)).toBe("10 m");
    expect(formatMetres(0)).toBe("0 m");
  });

  it("calls a map nearly flat when its range is under 1 % of its median", () => {
    expect(nearlyFlat(1.1911, 1.1971, 1.194)).toBe(true);
    expect(nearlyFlat(1, 11, 4)).toBe(false);
  });

  it("spaces the legend's labels evenly, ends included", () => {
    expect(legendTicks(1, 9, 5)).toEqual([1, 3, 5, 7, 9]);
    expect(legendTicks(2, 2)).toEqual([2]);
  });
});
