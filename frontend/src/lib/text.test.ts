import { describe, expect, it } from "vitest";
import { capitalize } from "./text";

describe("capitalize", () => {
  it.each([
    ["no decodable frame", "No decodable frame"],
    ["  magma ", "Magma"],
    ["Done", "Done"],
    ["", ""],
  ])("%j → %j", (text, expected) => expect(capitalize(text)).toBe(expected));
});
