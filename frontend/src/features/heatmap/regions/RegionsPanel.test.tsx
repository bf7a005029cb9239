import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { RegionsAnalysis } from "../../../api/types";
import { installFetchMock, jsonResponse, jsonSent, makeJob, methodOf, pathOf } from "../../../test/fixtures";
import { renderWithClient } from "../../../test/render";
import { RegionsPanel } from "./RegionsPanel";

const regionsFile = (id: string) => ({ name: "regions.json", url: `/api/jobs/${id}/files/regions.json`, media_type: "application/json", bytes: 9 });
const job = makeJob({ summary: { width: 320, height: 240 } });
const withRegions = { ...job, results: [regionsFile(job.id)] };
const other = makeJob({
  id: "22222222-2222-2222-2222-222222222222",
  input_name: "monday.mp4",
  summary: { width: 320, height: 240 },
  results: [regionsFile("22222222-2222-2222-2222-222222222222")],
});
const otherSize = makeJob({ id: "33333333-3333-3333-3333-333333333333", summary: { width: 640, height: 480 }, results: [regionsFile("3")] });
const analysis: RegionsAnalysis = {
  anchor: "feet",
  computed_ms: 3,
  zones: [
    {
      name: "Entrance",
      polygon: [
        [100, 100],
        [200, 100],
        [200, 200],
      ],
      people: 2,
      visits: 3,
      person_seconds: 7.5,
      dwell_s: { mean: 2.5, median: 2, p95: 3.4, max: 3.5 },
      occupancy_peak: 2,
      occupancy_mean: 0.75,
      occupancy_per_second: [0, 1, 2],
    },
  ],
  lines: [
    {
      name: "Door",
      points: [
        [250, 20],
        [250, 220],
      ],
      in: 4,
      out: 1,
    },
  ],
};

/** Answers GET regions of `job` with `stored` (404 when null), the job list, and records PUT bodies. */
function serve(fetchMock: ReturnType<typeof installFetchMock>, stored: RegionsAnalysis | null, puts: unknown[] = []) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = pathOf(input);
    if (url.includes(`/jobs/${other.id}/regions`)) return jsonResponse(200, analysis);
    if (url.endsWith("/regions") && methodOf(input, init) === "PUT") {
      puts.push(await jsonSent(input, init));
      return jsonResponse(200, { ...analysis, zones: [], lines: [{ ...analysis.lines[0], name: "Line 1", in: 0, out: 0 }] });
    }
    if (url.endsWith("/regions") && stored) return jsonResponse(200, stored);
    if (url.includes("/jobs?")) return jsonResponse(200, { items: [job, other, otherSize], total: 3, next: null });
    return jsonResponse(200, {});
  });
}

describe("RegionsPanel", () => {
  const fetchMock = installFetchMock();

  it("shows the stored zones' and lines' figures, with an occupancy chart per zone", async () => {
    serve(fetchMock, analysis);
    renderWithClient(<RegionsPanel job={withRegions} version="1" />);
    const zones = await screen.findByRole("table", { name: "Zones" });
    const row = within(zones).getByRole("row", { name: /Entrance/ });
    const cells = within(row)
      .getAllByRole("cell")
      .map((cell) => cell.textContent);
    expect(cells).toEqual(["2", "3", "7.5", "2.5 s", "2 s", "3.4 s", "3.5 s", "2", "0.75"]);
    expect(within(screen.getByRole("table", { name: "Lines" })).getByRole("row", { name: /Door/ })).toHaveTextContent(/^Door41$/);
    expect(screen.getByRole("img", { name: /People inside Entrance per second/ })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Name of zone 1" })).toHaveValue("Entrance");
    // Units in the headers, and the chart shows the table's occupancy figures.
    expect(within(zones).getByRole("columnheader", { name: "Time inside (person-s)" })).toBeInTheDocument();
    expect(within(zones).getByRole("columnheader", { name: "Most at once (people)" })).toBeInTheDocument();
    expect(screen.getByText(/Most at once 2 · on average 0.75 people inside Entrance/)).toBeInTheDocument();
    expect(screen.getByText(/two people for 3 s make 6 person-s/)).toBeInTheDocument();
    // "More" opens a zone's other figures (the columns phones do not show).
    const more = within(row).getByRole("button", { name: "More" });
    expect(more).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(more);
    const details = document.getElementById(more.getAttribute("aria-controls")!)!;
    expect(details).toBeVisible();
    expect(details).toHaveTextContent("Dwell mean2.5 s");
  });

  it("adds a line from the keyboard, names it and measures it", async () => {
    const puts: unknown[] = [];
    serve(fetchMock, null, puts);
    const user = userEvent.setup();
    renderWithClient(<RegionsPanel job={job} version="1" />);
    const measure = await screen.findByRole("button", { name: "Measure" });
    expect(measure).toBeDisabled(); // nothing drawn yet, and it says so
    expect(measure).toHaveAccessibleDescription("Draw a zone or a line first.");
    expect(screen.getByText(/No zones or lines yet/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add a sample line" }));
    expect(screen.queryByText(/No zones or lines yet/)).not.toBeInTheDocument();
    const point = screen.getByRole("button", { name: /Line Line 1, point 1 at 80, 120/ });
    point.focus();
    await user.keyboard("{Shift>}{ArrowUp}{/Shift}{ArrowRight}");
    expect(screen.getByRole("button", { name: /Line Line 1, point 1 at 81, 110/ })).toBeInTheDocument();
    await user.click(measure);
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({
      zones: [],
      lines: [
        {
          name: "Line 1",
          points: [
            [81, 110],
            [240, 120],
          ],
        },
      ],
    });
    expect(await screen.findByRole("table", { name: "Lines" })).toHaveTextContent("Line 100");
  });

  it("refuses to measure two shapes of one name, and says why", async () => {
    serve(fetchMock, null);
    const user = userEvent.setup();
    renderWithClient(<RegionsPanel job={job} version="1" />);
    await user.click(await screen.findByRole("button", { name: "Add a sample zone" }));
    await user.click(screen.getByRole("button", { name: "Add a sample line" }));
    const name = screen.getByRole("textbox", { name: "Name of line 2" });
    await user.clear(name);
    await user.type(name, "Zone 1");
    expect(screen.getByText('The name "Zone 1" is used twice.')).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Measure" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Measure" })).toHaveAccessibleDescription("Fix the problems listed below first.");
  });

  it("names its drawing tools by what they do, says why Measure waits while drawing, and flips a line", async () => {
    const puts: unknown[] = [];
    serve(fetchMock, null, puts);
    const user = userEvent.setup();
    renderWithClient(<RegionsPanel job={job} version="1" />);
    await user.click(await screen.findByRole("button", { name: "Draw a line (2 clicks)" }));
    expect(screen.getByRole("button", { name: "Measure" })).toHaveAccessibleDescription("Finish or cancel the line you are drawing first.");
    await user.click(screen.getByRole("button", { name: "Cancel drawing" }));
    expect(screen.getByRole("button", { name: "Draw a zone (click corners)" })).toBeEnabled();
    await user.click(screen.getByRole("button", { name: "Add a sample line" }));
    await user.click(screen.getByRole("button", { name: "Flip direction of Line 1" }));
    await user.click(screen.getByRole("button", { name: "Measure" }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({
      zones: [],
      lines: [
        {
          name: "Line 1",
          points: [
            [240, 120],
            [80, 120],
          ],
        },
      ],
    });
  });

  it("copies the regions of another job of the same frame size", async () => {
    serve(fetchMock, null);
    const user = userEvent.setup();
    renderWithClient(<RegionsPanel job={job} version="1" />);
    const select = await screen.findByRole("combobox", { name: "Copy zones from" });
    expect(within(select).getAllByRole("option")).toHaveLength(2); // the prompt and the other job: not this one, not 640x480
    await user.selectOptions(select, other.id);
    expect(await screen.findByText(/Copied 1 zone\(s\) and 1 line\(s\)/)).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Name of zone 1" })).toHaveValue("Entrance");
    expect(screen.getByRole("textbox", { name: "Name of line 2" })).toHaveValue("Door");
  });
});
