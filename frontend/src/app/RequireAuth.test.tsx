import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { queryKeys } from "../api/queryKeys";
import { createQueryClient } from "../queryClient";
import { routes } from "../router";
import { installFetchMock, jsonResponse, jsonSent, pathOf } from "../test/fixtures";
import { renderRoutes } from "../test/render";

const user = { id: "u1", email: "ada@example.com", created_at: "2026-01-01T00:00:00Z" };

describe("logging in", () => {
  const fetchMock = installFetchMock();

  it("sends a logged-out visitor to /login and back where they were going", async () => {
    fetchMock.mockImplementation(async (input, init) => {
      const url = pathOf(input);
      if (url === "/api/auth/login") {
        const body = (await jsonSent(input, init)) as { password: string };
        return body.password === "right-horse-1" ? jsonResponse(200, user) : jsonResponse(401, { detail: "wrong email or password" });
      }
      if (url === "/api/auth/me") return jsonResponse(200, user);
      return jsonResponse(404, { detail: "Not Found" });
    });
    const { router } = renderRoutes(routes, "/new/depth");

    await waitFor(() => expect(router.state.location.pathname).toBe("/login"));
    expect(router.state.location.search).toBe("?next=%2Fnew%2Fdepth");
    expect(await screen.findByText("Please log in to continue.")).toBeInTheDocument();
    // No session in this browser yet: nobody asked /auth/me (so no 401 in the console).
    expect(fetchMock).not.toHaveBeenCalled();

    const u = userEvent.setup();
    await u.type(screen.getByLabelText("Email"), "ada@example.com");
    await u.type(screen.getByLabelText("Password"), "wrong");
    await u.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password.");

    await u.clear(screen.getByLabelText("Password"));
    await u.type(screen.getByLabelText("Password"), "right-horse-1");
    await u.click(screen.getByRole("button", { name: "Log in" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/new/depth"));
    expect(await screen.findByRole("heading", { name: "New depth maps" })).toBeInTheDocument();
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
  });

  it("shows a taken email and a weak password in words on the sign-up page", async () => {
    fetchMock.mockImplementation(async (input, init) => {
      if (pathOf(input) === "/api/auth/registration") return jsonResponse(200, { mode: "open" });
      const body = (await jsonSent(input, init)) as { email: string };
      if (body.email === "taken@example.com") return jsonResponse(409, { detail: "email already registered" });
      return jsonResponse(422, { detail: [{ loc: ["body", "password"], msg: "Value error, password is too weak: mix letters with digits or symbols" }] });
    });
    renderRoutes(routes, "/register");
    const u = userEvent.setup();
    await u.type(screen.getByLabelText("Email"), "taken@example.com");
    await u.type(screen.getByLabelText("Password"), "whatever123");
    await u.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("An account with this email already exists.");

    await u.clear(screen.getByLabelText("Email"));
    await u.type(screen.getByLabelText("Email"), "new@example.com");
    await u.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("Password is too weak: mix letters with digits or symbols."));
  });

  it("sends the user to /login when the session ends (a 401 from any page)", async () => {
    localStorage.setItem("scenelab.session", "1");
    fetchMock.mockImplementation(async (input) => {
      if (pathOf(input) === "/api/auth/me") return jsonResponse(200, user);
      return jsonResponse(401, { detail: "not logged in" });
    });
    const { router, queryClient } = renderRoutes(routes, "/jobs/abc", createQueryClient());
    await waitFor(() => expect(router.state.location.pathname).toBe("/login"));
    expect(router.state.location.search).toBe("?next=%2Fjobs%2Fabc");
    expect(queryClient.getQueryData(queryKeys.me)).toBeNull();
  });

  it("explains invitation-only and closed registration, and sends the invitation from the link", async () => {
    let mode = "invite";
    const sent: unknown[] = [];
    fetchMock.mockImplementation(async (input, init) => {
      const url = pathOf(input);
      if (url === "/api/auth/registration") return jsonResponse(200, { mode });
      if (url === "/api/auth/register") {
        sent.push(await jsonSent(input, init));
        return jsonResponse(201, user);
      }
      if (url === "/api/auth/login") return jsonResponse(200, user);
      if (url === "/api/auth/me") return jsonResponse(200, user);
      return jsonResponse(200, { items: [], total: 0, next: null });
    });
    const first = renderRoutes(routes, "/register");
    expect(await screen.findByText(/by invitation only/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Email")).not.toBeInTheDocument();
    first.unmount();

    const invited = renderRoutes(routes, "/register?invite=tok-123");
    expect(await screen.findByText(/You were invited/)).toBeInTheDocument();
    const u = userEvent.setup();
    await u.type(screen.getByLabelText("Email"), "ada@example.com");
    await u.type(screen.getByLabelText("Password"), "right-horse-1");
    await u.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(sent).toEqual([{ email: "ada@example.com", password: "right-horse-1", invite: "tok-123" }]));
    invited.unmount();

    mode = "closed";
    localStorage.removeItem("scenelab.session"); // logged out again
    renderRoutes(routes, "/register?invite=tok-123");
    expect(await screen.findByText(/Registration is closed/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create account" })).not.toBeInTheDocument();
  });
});
