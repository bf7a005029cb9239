import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { DepthMetadata } from "../../api/types";
import { installFetchMock, jsonResponse } from "../../test/fixtures";
import { renderWithClient } from "../../test/render";
import { DepthInspector } from "./DepthInspector";

// The backend's 4x3 16-bit PNG of depthValues.test.ts: row 1 reads 300, 40000, 65535, 0.
const PNG16 = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAQAAAADEAAAAADBDy1ZAAAAJElEQVQIHWNmYGB+4bvmxntmRp1Z27rOMzIyGyjnfRXP//sUAIIkCquqReCRAAAAAElFTkSuQmCC"),
  (c) => c.charCodeAt(0),
);
const METADATA: DepthMetadata = {
  model: "yolo26n-depth.pt",
  weights_sha256: "0".repeat(64),
  imgsz: 768,
  units: "m",
  scale: "metres from the weights' single global calibration",
  min_m: 1,
  max_m: 11,
  median_m: 4,
  width: 4,
  height: 3,
  exif_orientation_applied: false,
  focal_px: 3.46,
  focal_source: "default",
  normalization: "image",
  png16: { near: 0, far: 65535, min_m: 1, max_m: 11 },
};

describe("DepthInspector", () => {
  const fetchMock = installFetchMock();

  it("reads the metres under the pointer and draws the colour scale in metres", async () => {
    fetchMock.mockImplementation(async (input) =>
      String(input).endsWith(".json") ? jsonResponse(200, METADATA) : new Response(PNG16, { status: 200, headers: { "Content-Type": "image/png" } }),
    );
    renderWithClient(
      <DepthInspector
        src="/d.png"
        alt="Depth map of a.png"
        metadataUrl="/api/jobs/j/files/a_depth.json"
        png16Url="/api/jobs/j/files/a_depth16.png"
        colormap="magma"
      />,
    );
    const map = await screen.findByTestId("depth-inspector");
    map.getBoundingClientRect = () => ({ left: 0, top: 0, width: 400, height: 300, right: 400, bottom: 300, x: 0, y: 0, toJSON: () => ({}) });
    expect(screen.getByText(/Point at the map/)).toBeInTheDocument();

    // Column 1, row 1 of the 4x3 map: 40000 of 65535 over 1-11 m.
    fireEvent.pointerMove(map, { clientX: 150, clientY: 150 });
    expect(screen.getByText("Depth here: 7.1 m")).toBeInTheDocument(); // 7.10: two significant figures
    fireEvent.pointerMove(map, { clientX: 399, clientY: 299 });
    expect(screen.getByText("Depth here: 11 m")).toBeInTheDocument(); // 10.92

    expect(screen.getByRole("figure", { name: "Colour scale from 1.0 m (near) to 11 m (far)" })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("says when a map is nearly flat (range under 1 % of its median)", async () => {
    const flat = { ...METADATA, min_m: 4, max_m: 4.03, median_m: 4.01, png16: { near: 0, far: 65535, min_m: 4, max_m: 4.03 } };
    fetchMock.mockImplementation(async (input) =>
      String(input).endsWith(".json") ? jsonResponse(200, flat) : new Response(PNG16, { status: 200, headers: { "Content-Type": "image/png" } }),
    );
    renderWithClient(<DepthInspector src="/d.png" alt="Depth map" metadataUrl="/m.json" png16Url="/p.png" colormap="magma" />);
    expect(await screen.findByText("This map is nearly flat")).toBeInTheDocument();
    expect(screen.getByText(/Median 4.0 m · range 4.0 m–4.0 m/)).toBeInTheDocument();
  });

  it("says so when the item has no metadata", () => {
    renderWithClient(<DepthInspector src="/d.png" alt="Depth map" colormap="magma" />);
    expect(screen.getByText(/no metric data/)).toBeInTheDocument();
  });
});
