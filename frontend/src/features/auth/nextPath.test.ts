import { describe, expect, it } from "vitest";
import { safeNextPath } from "./nextPath";

describe("safeNextPath", () => {
  it.each([
    ["/jobs/1", "/jobs/1"],
    ["/new/depth?x=1", "/new/depth?x=1"],
    ["//evil.example", "/"],
    ["https://evil.example", "/"],
    ["/login", "/"],
    [null, "/"],
  ])("safeNextPath(%s) = %s", (next, expected) => expect(safeNextPath(next)).toBe(expected));
});
