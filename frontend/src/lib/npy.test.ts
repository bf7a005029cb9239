import { describe, expect, it } from "vitest";
import { npyBytes } from "../test/fixtures";
import { parseNpy } from "./npy";

describe("parseNpy", () => {
  it("reads the shape and the float32 values", () => {
    const parsed = parseNpy(npyBytes([2, 1, 3], [0, 1.5, 2, 3, 4, 5.25]));
    expect(parsed.shape).toEqual([2, 1, 3]);
    expect(Array.from(parsed.data)).toEqual([0, 1.5, 2, 3, 4, 5.25]);
  });

  it("refuses other dtypes, other files and truncated data", () => {
    expect(() => parseNpy(npyBytes([2], [1, 2], "<f8"))).toThrow(/unsupported/);
    expect(() => parseNpy(new TextEncoder().encode("PK\u0003\u0004 a zip").buffer)).toThrow(/not a .npy/);
    expect(() => parseNpy(npyBytes([3], [1, 2, 3]).slice(0, 70))).toThrow(/truncated/);
  });
});
