import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { installFetchMock, jsonResponse, makeJob } from "../../test/fixtures";
import { renderWithClient } from "../../test/render";
import { HeatmapResult } from "./HeatmapResult";

const stats = { name: "stats.json", url: "/api/jobs/j/files/stats.json", media_type: "application/json", bytes: 10 };
const message = "The video is truncated or damaged: decoding stopped after 341 of 682 frames (11.4 s of 22.7 s); the decoded part was processed.";

describe("HeatmapResult", () => {
  const fetchMock = installFetchMock();

  it("says when only part of the video could be read, and counts the readable frames", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { people_per_second: [1, 2] }));
    const summary = { frames_sampled: 35, frames_total: 682, frames_decoded: 341, truncated: true, message };
    renderWithClient(<HeatmapResult job={makeJob({ summary, results: [stats] })} />);
    expect(screen.getByText("Only part of the video could be read").closest(".alert")).toHaveTextContent(message);
    expect(screen.getByText("of 341 readable (682 in the file)")).toBeInTheDocument();
    expect(await screen.findByRole("img", { name: /People in view/ })).toBeInTheDocument();
  });

  it("shows no warning for a whole video", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { people_per_second: [1, 2] }));
    const summary = { frames_sampled: 35, frames_total: 682, frames_decoded: 682, truncated: false, message: null };
    renderWithClient(<HeatmapResult job={makeJob({ summary, results: [stats] })} />);
    expect(screen.getByText("of 682")).toBeInTheDocument();
    expect(screen.queryByText(/Only part of the video/)).not.toBeInTheDocument();
  });
});
