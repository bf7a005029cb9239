import { act, fireEvent, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { installFetchMock, npyBytes } from "../../test/fixtures";
import { renderWithClient } from "../../test/render";
import { parseNpy } from "../../lib/npy";
import { accumulateSlices, heatPixels } from "./heatOverTime";
import { HeatOverTime } from "./HeatOverTime";

const file = (name: string, media_type: string) => ({ name, url: `/api/jobs/j/files/${name}`, media_type, bytes: 10 });
// 3 slices of 1 x 2 cells: the heat moves from the left cell to the right one.
const SLICES = npyBytes([3, 1, 2], [2, 0, 1, 1, 0, 4]);

describe("heat over time", () => {
  it("adds the slices up, one running total per slice, on the finished heat's scale", () => {
    const slices = accumulateSlices(parseNpy(SLICES));
    expect(slices.totals.map((t) => Array.from(t))).toEqual([
      [2, 0],
      [3, 1],
      [3, 5],
    ]);
    expect(slices.top).toBe(3);
    const lut = new Uint8ClampedArray(256 * 3).map((_, i) => Math.floor(i / 3));
    const pixels = heatPixels(slices.totals[0], slices.top, lut);
    expect(Array.from(pixels)).toEqual([170, 170, 170, 153, 0, 0, 0, 0]); // empty cells stay transparent
  });
});

describe("HeatOverTime", () => {
  const fetchMock = installFetchMock();
  beforeEach(() => {
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null); // jsdom draws nothing
  });

  it("scrubs and plays through the slices without another request", async () => {
    fetchMock.mockResolvedValue(new Response(SLICES, { status: 200 }));
    renderWithClient(
      <HeatOverTime
        jobId="j"
        slicesFile={file("heat_slices.npy", "application/x-npy")}
        background={file("background.png", "image/png")}
        sliceS={1}
        durationS={2.6}
        version="v1"
      />,
    );
    const slider = await screen.findByTestId("time-slider");
    expect(slider).toHaveAttribute("max", "2");
    expect(screen.getByTestId("time-clock")).toHaveTextContent("0:02 of 0:02"); // the whole video first
    fireEvent.change(slider, { target: { value: "0" } });
    expect(screen.getByTestId("time-clock")).toHaveTextContent("0:01 of 0:02");
    expect(screen.getByRole("img", { name: "Heat accumulated up to slice 1 of 3" })).toBeInTheDocument();

    vi.useFakeTimers();
    fireEvent.click(screen.getByRole("button", { name: "Play" }));
    for (let tick = 0; tick < 3; tick++) await act(async () => vi.advanceTimersByTime(300));
    expect(screen.getByRole("img", { name: "Heat accumulated up to slice 3 of 3" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Play" })).toBeInTheDocument(); // stopped at the end
    vi.useRealTimers();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
