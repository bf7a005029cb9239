import { describe, expect, it } from "vitest";
import { heatmapFigures } from "./SummaryFigures";

const framesHint = (summary: Parameters<typeof heatmapFigures>[0]) => heatmapFigures(summary).find((f) => f.label === "Frames analysed")?.hint;

describe("heatmapFigures", () => {
  it("counts the analysed frames against the readable ones when the video is truncated", () => {
    const summary = { frames_sampled: 35, frames_total: 682, frames_decoded: 341, truncated: true };
    expect(heatmapFigures(summary).find((f) => f.label === "Frames analysed")).toEqual({
      label: "Frames analysed",
      value: "35",
      hint: "of 341 readable (682 in the file)",
    });
  });

  it.each([
    [{ frames_sampled: 35, frames_total: 682, frames_decoded: 682, truncated: false }, "of 682"],
    [{ frames_sampled: 35, frames_total: 682 }, "of 682"],
    [{ frames_sampled: 35 }, undefined],
  ])("%o → %s", (summary, hint) => expect(framesHint(summary)).toBe(hint));
});
