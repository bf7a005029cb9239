import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { routes } from "../../router";
import { installFetchMock, jsonResponse, makeJob, pathOf } from "../../test/fixtures";
import { renderRoutes } from "../../test/render";

const user = { id: "u1", email: "ada@example.com", created_at: "2026-01-01T00:00:00Z" };

describe("HistoryPage", () => {
  const fetchMock = installFetchMock();
  beforeEach(() => {
    localStorage.setItem("scenelab.session", "1");
    fetchMock.mockImplementation(async (input) => {
      const url = new URL(pathOf(input), "http://test");
      if (url.pathname === "/api/auth/me") return jsonResponse(200, user);
      if (url.pathname === "/api/stats") return jsonResponse(200, { total: 13, queued: 1, running: 1, succeeded: 9, failed: 1, cancelled: 1 });
      if (url.pathname === "/api/jobs") {
        const items = [
          makeJob({ id: "a", input_name: "lobby.mp4", status: "running", progress: 0.4, processing_ms: null, finished_at: null }),
          makeJob({ id: "b", input_name: "broken.avi", status: "failed", error: "no decodable frame in the video" }),
          makeJob({
            id: "c",
            kind: "depth",
            input_name: "street.jpg",
            items_total: 2,
            items_done: 2,
            processing_ms: 2500,
            results: [{ name: "street_depth.png", url: "/api/jobs/c/files/street_depth.png", media_type: "image/png", bytes: 5 }],
          }),
        ];
        return jsonResponse(200, { items, total: 13, next: "10" });
      }
      return jsonResponse(404, { detail: "Not Found" });
    });
  });
  const listCalls = () => fetchMock.mock.calls.map(([u]) => pathOf(u)).filter((u) => u.startsWith("/api/jobs?"));

  it("lists jobs with badges, progress, errors, thumbnails and timings, and counts per status", async () => {
    renderRoutes(routes, "/");
    const list = await screen.findByRole("list", { name: "Jobs" });
    const cards = within(list).getAllByRole("listitem");
    expect(cards).toHaveLength(3);
    expect(within(cards[0]).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "40");
    expect(within(cards[0]).getByText("Running")).toBeInTheDocument();
    expect(within(cards[1]).getByText("No decodable frame in the video")).toBeInTheDocument();
    expect(cards[2].querySelector("img")).toHaveAttribute("src", expect.stringContaining("/api/jobs/c/files/street_depth.png"));
    expect(within(cards[2]).getByText(/processed in 2.50 s/)).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: /9\s*Done/ })).toBeInTheDocument();
    expect(screen.getByText(/1–10 of 13/)).toBeInTheDocument();
    expect(listCalls()[0]).toBe("/api/jobs?limit=10&offset=0");
  });

  it("filters by kind and status, and pages with limit + offset", async () => {
    const { router } = renderRoutes(routes, "/");
    await screen.findByRole("list", { name: "Jobs" });
    const u = userEvent.setup();
    await u.selectOptions(screen.getByLabelText("Kind"), "depth");
    await waitFor(() => expect(listCalls()).toContain("/api/jobs?kind=depth&limit=10&offset=0"));
    await u.click(screen.getByRole("button", { name: /1\s*Failed/ }));
    await waitFor(() => expect(listCalls()).toContain("/api/jobs?kind=depth&status=failed&limit=10&offset=0"));
    await u.click(screen.getByRole("button", { name: "Older →" }));
    await waitFor(() => expect(listCalls()).toContain("/api/jobs?kind=depth&status=failed&limit=10&offset=10"));
    expect(router.state.location.search).toBe("?kind=depth&status=failed&page=2");
  });

  it("is also the page at /jobs (job pages live at /jobs/<id>), with its filters", async () => {
    const { router } = renderRoutes(routes, "/jobs?kind=depth");
    expect(await screen.findByRole("heading", { name: "Your jobs" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/");
    expect(router.state.location.search).toBe("?kind=depth");
  });
});
