import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { routes } from "../../router";
import { installFetchMock, jsonResponse, makeJob, pathOf } from "../../test/fixtures";
import { renderRoutes } from "../../test/render";

const user = { id: "u1", email: "ada@example.com", created_at: "2026-01-01T00:00:00Z" };
const colors = ["#000000", "#ffffff"];
const comparison = {
  scale_max: 2.88,
  a: { person_seconds: 9.4, people_unique: 2, duration_s: 10, person_seconds_per_s: 0.94 },
  b: { person_seconds: 5.4, people_unique: 1, duration_s: 6, person_seconds_per_s: 0.9 },
  difference_person_seconds: -0.04,
  colors,
  difference_colors: colors,
  zones: [{ name: "Entrance", a_person_seconds: 2, b_person_seconds: 2, difference_person_seconds: 0.1333 }],
};

describe("ComparePage", () => {
  const fetchMock = installFetchMock();
  beforeEach(() => {
    localStorage.setItem("scenelab.session", "1");
    fetchMock.mockImplementation(async (input) => {
      const url = new URL(pathOf(input), "http://test");
      if (url.pathname === "/api/auth/me") return jsonResponse(200, user);
      if (url.pathname === "/api/jobs") {
        const items = [makeJob({ id: "ja", input_name: "monday.mp4" }), makeJob({ id: "jb", input_name: "tuesday.mp4" })];
        return jsonResponse(200, { items, total: 2, next: null });
      }
      if (url.pathname === "/api/compare") return jsonResponse(200, comparison);
      return jsonResponse(404, { detail: "Not Found" });
    });
  });
  const calls = (path: string) => fetchMock.mock.calls.map(([u]) => pathOf(u)).filter((u) => u.startsWith(path));

  it("is reached from the history", async () => {
    const { router } = renderRoutes(routes, "/");
    await userEvent.click(await screen.findByRole("link", { name: "Compare heatmaps" }));
    expect(router.state.location.pathname).toBe("/compare");
  });

  it("lists the succeeded heatmaps, and shows the two picked on one scale with figures in person-s", async () => {
    const { router } = renderRoutes(routes, "/compare");
    await userEvent.selectOptions(await screen.findByLabelText("Heatmap A"), "ja");
    expect(calls("/api/jobs?")[0]).toContain("kind=heatmap");
    expect(calls("/api/jobs?")[0]).toContain("status=succeeded");
    expect(calls("/api/compare")).toEqual([]);
    await userEvent.selectOptions(screen.getByLabelText("Heatmap B"), "jb");
    expect(router.state.location.search).toBe("?a=ja&b=jb");

    const figures = await screen.findByRole("table", { name: "Figures" });
    expect(calls("/api/compare")).toEqual(["/api/compare?a=ja&b=jb"]);
    expect(within(figures).getByRole("row", { name: /^A 9\.4 0\.94 2 10/ })).toBeInTheDocument();
    expect(within(figures).getByRole("columnheader", { name: "Person-s per s" })).toBeInTheDocument();
    expect(screen.getByTestId("compare-difference")).toHaveTextContent("-0.04");
    const images = screen.getAllByRole("img", { name: /on the shared scale/ }).map((img) => img.getAttribute("src"));
    expect(images).toEqual(["a", "b", "difference"].map((view) => `/api/compare/image?a=ja&b=jb&view=${view}`));
    expect(screen.getByTestId("compare-legend")).toHaveAccessibleName(/from 0 to 2\.88 person-s per s per 100×100 px/);
    expect(screen.getByTestId("compare-difference-legend")).toHaveAccessibleName(/from -2\.88 to 2\.88/);
    expect(within(screen.getByRole("table", { name: "Zones" })).getByRole("row", { name: /Entrance 2 2 \+0\.133/ })).toBeInTheDocument();
  });

  it("says why when the server refuses the pair", async () => {
    fetchMock.mockImplementation(async (input) => {
      const url = new URL(pathOf(input), "http://test");
      if (url.pathname === "/api/auth/me") return jsonResponse(200, user);
      if (url.pathname === "/api/jobs") return jsonResponse(200, { items: [], total: 0, next: null });
      const detail = [{ loc: ["query", "b"], msg: "the jobs' frames differ in size: a is 320x240 px, b is 160x120 px", type: "value_error" }];
      return jsonResponse(422, { detail });
    });
    renderRoutes(routes, "/compare?a=ja&b=jb");
    expect(await screen.findByText(/frames differ in size/)).toBeInTheDocument();
    expect(screen.queryByRole("img", { name: /on the shared scale/ })).not.toBeInTheDocument();
  });
});
