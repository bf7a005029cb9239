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

  it("gives the analysis's speed, not one that includes the one-off model load", () => {
    // 60 s of video: 200 s in all (0.3×), of which the analysis took 45 s (1.33×) and the model load 150 s.
    const summary = { duration_s: 60, video_seconds_per_second: 1.333, timings_s: { load: 150, analysis: 45 } };
    expect(heatmapFigures(summary, 200_000).find((f) => f.label === "Processing speed")).toEqual({
      label: "Processing speed",
      value: "1.3×",
      hint: "video seconds analysed per second; loading the model took 2 min 30 s",
    });
  });

  it("says what its people figures mean", () => {
    const hints = heatmapFigures({ people_peak: 4, people_mean: 1.3 }).map((f) => f.hint);
    expect(hints).toContain("people: the most in one analysed frame");
    expect(hints).toContain("people in view, averaged over the video");
  });
});
