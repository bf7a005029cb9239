import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { installFetchMock, jsonResponse, pathOf, recordUploads } from "../../test/fixtures";
import { renderRoutes } from "../../test/render";
import { NewHeatmapPage } from "./NewHeatmapPage";

// An operator's HEATMAP_SAMPLE_FPS=2 and HEATMAP_CONF=0.4, as the server's schema states them.
const schema = {
  components: {
    schemas: {
      HeatmapOptions: {
        properties: {
          sample_fps: { default: 2 },
          conf: { default: 0.4 },
          colormap: { default: "turbo" },
          anchor: { default: "feet" },
          mode: { default: "all" },
        },
      },
    },
  },
};

describe("NewHeatmapPage", () => {
  const fetchMock = installFetchMock();
  const uploads = recordUploads();
  beforeEach(() => {
    fetchMock.mockImplementation(async (input) => (pathOf(input) === "/api/openapi.json" ? jsonResponse(200, schema) : jsonResponse(404, {})));
  });

  const chooseVideo = () => fireEvent.change(screen.getByTestId("file-input"), { target: { files: [new File(["v"], "walk.mp4", { type: "video/mp4" })] } });

  it("shows the server's defaults and sends none of them: an operator's settings apply to web uploads", async () => {
    renderRoutes([{ path: "/", element: <NewHeatmapPage /> }], "/");
    await waitFor(() => expect(screen.getByLabelText("Frames analysed per second")).toHaveValue(2));
    expect(screen.getByText("40 %")).toBeInTheDocument();
    expect(screen.getByLabelText("Colours")).toHaveDisplayValue("Turbo (default)");
    chooseVideo();
    await userEvent.click(screen.getByRole("button", { name: "Upload and start" }));
    await waitFor(() => expect(uploads.last()).not.toBeNull());
    expect([...uploads.last()!.keys()]).toEqual(["file"]);
  });

  it("sends only what the user changed", async () => {
    renderRoutes([{ path: "/", element: <NewHeatmapPage /> }], "/");
    await waitFor(() => expect(screen.getByLabelText("Frames analysed per second")).toHaveValue(2));
    fireEvent.change(screen.getByLabelText("Detection confidence"), { target: { value: "0.5" } });
    await userEvent.click(screen.getByRole("radio", { name: /Whole body/ }));
    chooseVideo();
    await userEvent.click(screen.getByRole("button", { name: "Upload and start" }));
    await waitFor(() => expect(uploads.last()).not.toBeNull());
    expect(Object.fromEntries([...uploads.last()!.entries()].filter(([key]) => key !== "file"))).toEqual({ conf: "0.5", anchor: "box" });
  });

  it("sends the webhook URL given under “Notify a URL when done”, and holds back one that isn't http(s)", async () => {
    renderRoutes([{ path: "/", element: <NewHeatmapPage /> }], "/");
    await waitFor(() => expect(screen.getByLabelText("Frames analysed per second")).toHaveValue(2));
    chooseVideo();
    const u = userEvent.setup();
    const disclosure = screen.getByText("Notify a URL when done").closest("details");
    expect(disclosure).not.toHaveAttribute("open");
    await u.click(screen.getByText("Notify a URL when done"));
    expect(disclosure).toHaveAttribute("open");

    const field = screen.getByLabelText("Webhook URL");
    await u.type(field, "ftp://hooks.example.com/scenelab");
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveAccessibleDescription("Only an http:// or https:// URL can be told.");
    expect(screen.getByRole("button", { name: "Upload and start" })).toBeDisabled();

    await u.clear(field);
    await u.type(field, "https://hooks.example.com/scenelab");
    expect(field).not.toHaveAttribute("aria-invalid");
    await u.click(screen.getByRole("button", { name: "Upload and start" }));
    await waitFor(() => expect(uploads.last()).not.toBeNull());
    expect(uploads.last()!.get("webhook_url")).toBe("https://hooks.example.com/scenelab");
  });
});
