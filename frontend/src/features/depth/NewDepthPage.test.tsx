import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { recordUploads } from "../../test/fixtures";
import { renderRoutes } from "../../test/render";
import { NewDepthPage } from "./NewDepthPage";

describe("NewDepthPage", () => {
  const uploads = recordUploads();

  it("sends a webhook URL with the photos, only when one is given, and holds back one that isn't a whole URL", async () => {
    renderRoutes([{ path: "/", element: <NewDepthPage /> }], "/");
    fireEvent.change(screen.getByTestId("file-input"), { target: { files: [new File(["p"], "street.jpg", { type: "image/jpeg" })] } });
    const u = userEvent.setup();
    await u.click(screen.getByText("Notify a URL when done"));
    const field = screen.getByLabelText("Webhook URL");
    await u.type(field, "hooks.example.com/depth");
    expect(field).toHaveAccessibleDescription("Enter a whole URL, starting with https:// or http://.");
    expect(screen.getByRole("button", { name: "Upload and start" })).toBeDisabled();

    await u.clear(field);
    await u.type(field, "http://hooks.example.com/depth");
    await u.click(screen.getByRole("button", { name: "Upload and start" }));
    await waitFor(() => expect(uploads.last()).not.toBeNull());
    expect(uploads.last()!.get("webhook_url")).toBe("http://hooks.example.com/depth");
    expect((uploads.last()!.getAll("files") as File[]).map((f) => f.name)).toEqual(["street.jpg"]);
  });

  it("sends no webhook_url when none is given", async () => {
    renderRoutes([{ path: "/", element: <NewDepthPage /> }], "/");
    fireEvent.change(screen.getByTestId("file-input"), { target: { files: [new File(["p"], "street.jpg", { type: "image/jpeg" })] } });
    await userEvent.click(screen.getByRole("button", { name: "Upload and start" }));
    await waitFor(() => expect(uploads.last()).not.toBeNull());
    expect(uploads.last()!.has("webhook_url")).toBe(false);
  });
});
