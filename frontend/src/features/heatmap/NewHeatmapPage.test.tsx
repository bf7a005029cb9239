import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setXhrFactory } from "../../api/client";
import { installFetchMock, jsonResponse } from "../../test/fixtures";
import { renderRoutes } from "../../test/render";
import { NewHeatmapPage } from "./NewHeatmapPage";

/** The upload's XMLHttpRequest: keeps the form it was sent and never answers. */
let sent: FormData | null = null;
class RecordingXhr {
  upload = { onprogress: null };
  withCredentials = false;
  open() {}
  setRequestHeader() {}
  send(body: FormData) {
    sent = body;
  }
  abort() {}
}

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
  beforeEach(() => {
    sent = null;
    setXhrFactory(() => new RecordingXhr() as unknown as XMLHttpRequest);
    fetchMock.mockImplementation(async (input) => (String(input) === "/api/openapi.json" ? jsonResponse(200, schema) : jsonResponse(404, {})));
  });
  afterEach(() => setXhrFactory(() => new XMLHttpRequest()));

  const chooseVideo = () => fireEvent.change(screen.getByTestId("file-input"), { target: { files: [new File(["v"], "walk.mp4", { type: "video/mp4" })] } });

  it("shows the server's defaults and sends none of them: an operator's settings apply to web uploads", async () => {
    renderRoutes([{ path: "/", element: <NewHeatmapPage /> }], "/");
    await waitFor(() => expect(screen.getByLabelText("Frames analysed per second")).toHaveValue(2));
    expect(screen.getByText("40 %")).toBeInTheDocument();
    expect(screen.getByLabelText("Colours")).toHaveDisplayValue("Turbo (default)");
    chooseVideo();
    await userEvent.click(screen.getByRole("button", { name: "Upload and start" }));
    await waitFor(() => expect(sent).not.toBeNull());
    expect([...sent!.keys()]).toEqual(["file"]);
  });

  it("sends only what the user changed", async () => {
    renderRoutes([{ path: "/", element: <NewHeatmapPage /> }], "/");
    await waitFor(() => expect(screen.getByLabelText("Frames analysed per second")).toHaveValue(2));
    fireEvent.change(screen.getByLabelText("Detection confidence"), { target: { value: "0.5" } });
    await userEvent.click(screen.getByRole("radio", { name: /Whole body/ }));
    chooseVideo();
    await userEvent.click(screen.getByRole("button", { name: "Upload and start" }));
    await waitFor(() => expect(sent).not.toBeNull());
    expect(Object.fromEntries([...sent!.entries()].filter(([key]) => key !== "file"))).toEqual({ conf: "0.5", anchor: "box" });
  });
});
