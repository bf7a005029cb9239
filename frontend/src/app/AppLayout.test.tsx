import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { createQueryClient } from "../queryClient";
import { routes } from "../router";
import { installFetchMock, jsonResponse, makeJob, pathOf } from "../test/fixtures";
import { renderRoutes } from "../test/render";

describe("logging out", () => {
  const fetchMock = installFetchMock();
  beforeEach(() => localStorage.setItem("scenelab.session", "1"));

  it("lands on /login with a message (not a redirect back to the page), and forgets the session", async () => {
    fetchMock.mockImplementation(async (input) => {
      const url = pathOf(input);
      if (url === "/api/auth/me") return jsonResponse(200, { id: "u1", email: "ada@example.com", created_at: "x" });
      if (url === "/api/auth/logout") return new Response(null, { status: 204 });
      if (url === "/api/jobs/j1") return jsonResponse(200, makeJob({ id: "j1", input_name: "hall.mp4", status: "failed", error: "boom" }));
      return jsonResponse(404, { detail: "Not Found" });
    });
    const { router } = renderRoutes(routes, "/jobs/j1", createQueryClient());
    expect(await screen.findByRole("heading", { name: "hall.mp4" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Log out" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/login"));
    expect(router.state.location.search).toBe("");
    expect(await screen.findByText("You have been logged out.")).toBeInTheDocument();
    expect(localStorage.getItem("scenelab.session")).toBeNull();
  });
});
