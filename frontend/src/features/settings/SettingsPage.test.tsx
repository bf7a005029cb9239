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

describe("SettingsPage: webhook secret", () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    let secret = "whsec_Zmlyc3Q=";
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockImplementation(async (input, init) => {
      const [method, path] = [methodOf(input, init), pathOf(input)];
      if (path === "/api/tokens") return jsonResponse(200, { items: [] });
      if (path === "/api/auth/webhook-secret" && method === "POST") secret = "whsec_c2Vjb25k";
      if (path === "/api/auth/webhook-secret") return jsonResponse(200, { secret });
      return jsonResponse(404, { detail: "unexpected request" });
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    fetchMock.mockReset();
  });
  const secretCalls = () => requestsOf(fetchMock).filter((r) => r.path === "/api/auth/webhook-secret");

  it("keeps the secret hidden (not even asked for) until Show, then copies it", async () => {
    renderWithClient(<SettingsPage />);
    const hidden = await screen.findByLabelText("Webhook secret (hidden)");
    expect((hidden as HTMLInputElement).value).not.toContain("Zmlyc3Q");
    expect(screen.queryByRole("button", { name: "Copy" })).not.toBeInTheDocument();
    expect(secretCalls()).toEqual([]);

    const u = userEvent.setup();
    await u.click(screen.getByRole("button", { name: "Show" }));
    expect(await screen.findByLabelText("Webhook secret")).toHaveValue("whsec_Zmlyc3Q=");
    expect(secretCalls()).toEqual([{ method: "GET", path: "/api/auth/webhook-secret", credentials: "include" }]);
    await u.click(screen.getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe("whsec_Zmlyc3Q=");
    await u.click(screen.getByRole("button", { name: "Hide" }));
    expect(screen.getByLabelText("Webhook secret (hidden)")).toBeInTheDocument();
  });

  it("rotates the secret only after a confirmation, and shows the new one", async () => {
    renderWithClient(<SettingsPage />);
    const u = userEvent.setup();
    await u.click(await screen.findByRole("button", { name: "Rotate" }));
    expect(screen.getByRole("alertdialog")).toHaveTextContent("refuse every message from now on");
    await u.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    expect(secretCalls()).toEqual([]);

    await u.click(screen.getByRole("button", { name: "Rotate" }));
    await u.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Rotate secret" }));
    expect(await screen.findByLabelText("Webhook secret")).toHaveValue("whsec_c2Vjb25k");
    expect(screen.getByRole("status")).toHaveTextContent("Secret rotated");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(secretCalls()).toEqual([{ method: "POST", path: "/api/auth/webhook-secret", credentials: "include" }]);
  });

  it("shows how a receiver checks a message", async () => {
    renderWithClient(<SettingsPage />);
    expect(await screen.findByText(/hook\.verify\(request\.get_data\(\), dict\(request\.headers\)\)/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Standard Webhooks" })).toHaveAttribute("href", "https://www.standardwebhooks.com");
  });
});
