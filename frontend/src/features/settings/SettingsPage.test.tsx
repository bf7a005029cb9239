import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ApiToken } from "../../api/types";
import { jsonResponse, jsonSent, methodOf, pathOf, requestsOf } from "../../test/fixtures";
import { renderWithClient } from "../../test/render";
import { SettingsPage } from "./SettingsPage";

const ci: ApiToken = {
  id: "t1",
  name: "ci",
  created_at: "2026-01-02T10:00:00Z",
  expires_at: "2026-04-02T10:00:00Z",
  last_used_at: null,
};

describe("SettingsPage: API tokens", () => {
  const fetchMock = vi.fn<typeof fetch>();
  let tokens: ApiToken[];
  beforeEach(() => {
    tokens = [ci];
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockImplementation(async (input, init) => {
      const [method, path] = [methodOf(input, init), pathOf(input)];
      if (path === "/api/tokens" && method === "GET") return jsonResponse(200, { items: tokens });
      if (path === "/api/tokens" && method === "POST") {
        const body = (await jsonSent(input, init)) as { name: string };
        const token = { ...ci, id: "t2", name: body.name, last_used_at: null };
        tokens = [token, ...tokens];
        return jsonResponse(201, { ...token, token: "slk_secret-value" });
      }
      if (path === "/api/tokens/t1" && method === "DELETE") {
        tokens = tokens.filter((t) => t.id !== "t1");
        return new Response(null, { status: 204 });
      }
      return jsonResponse(404, { detail: "unexpected request" });
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    fetchMock.mockReset();
  });

  it("creates a token, shows it once with a copy button, and lists it", async () => {
    renderWithClient(<SettingsPage />);
    expect(await screen.findByRole("cell", { name: "ci" })).toBeInTheDocument();
    const u = userEvent.setup();

    await u.type(screen.getByLabelText("Name"), "nightly export");
    await u.selectOptions(screen.getByLabelText("Expires after"), "30");
    await u.click(screen.getByRole("button", { name: "Create token" }));

    expect(await screen.findByLabelText("New API token")).toHaveValue("slk_secret-value");
    const post = fetchMock.mock.calls.find(([input, init]) => methodOf(input, init) === "POST");
    expect(post && (await jsonSent(...post))).toEqual({ name: "nightly export", expires_days: 30 });
    await u.click(screen.getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe("slk_secret-value"); // userEvent's clipboard stub
    expect(await screen.findByRole("button", { name: "Copied" })).toBeInTheDocument();
    expect(await screen.findByRole("cell", { name: "nightly export" })).toBeInTheDocument();

    await u.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByLabelText("New API token")).not.toBeInTheDocument();
  });

  it("revokes a token after a confirmation", async () => {
    renderWithClient(<SettingsPage />);
    const u = userEvent.setup();
    await u.click(await screen.findByRole("button", { name: "Revoke token ci" }));
    expect(screen.getByRole("alertdialog")).toHaveTextContent("ci");
    await u.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Revoke token" }));
    await waitFor(() => expect(screen.getByText("No tokens yet.")).toBeInTheDocument());
    expect(requestsOf(fetchMock)).toContainEqual({ method: "DELETE", path: "/api/tokens/t1", credentials: "include" });
  });

  it("says why the server refused a token", async () => {
    fetchMock.mockImplementation(async (input, init) =>
      methodOf(input, init) === "POST"
        ? jsonResponse(409, { detail: "you hold 50 API tokens, the most allowed: revoke one you no longer use" })
        : jsonResponse(200, { items: [] }),
    );
    renderWithClient(<SettingsPage />);
    const u = userEvent.setup();
    await u.type(await screen.findByLabelText("Name"), "one more");
    await u.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("revoke one you no longer use");
  });
});
