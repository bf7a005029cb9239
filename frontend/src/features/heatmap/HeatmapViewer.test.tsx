import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { HeatmapViewer } from "./HeatmapViewer";

function loadAs(image: HTMLElement, naturalWidth: number) {
  Object.defineProperty(image, "naturalWidth", { value: naturalWidth });
  fireEvent.load(image);
}

const file = (name: string) => ({ name, url: `/api/jobs/j/files/${name}`, media_type: "image/png", bytes: 10 });

describe("HeatmapViewer", () => {
  it("fades the heat into the plain scene in the browser, with a slider named as a view-only control", () => {
    render(<HeatmapViewer heatmap={file("heatmap.png")} background={file("background.png")} version="1" />);
    const scene = screen.getByTestId("scene-image");
    expect(scene).toHaveStyle({ visibility: "hidden" });
    // The heatmap image is the scene (320 px) plus its legend (80 px): the scene covers the first 80 %.
    loadAs(screen.getByTestId("heatmap-image"), 400);
    loadAs(scene, 320);
    expect(scene).toHaveStyle({ width: "80%", opacity: "0" });
    fireEvent.change(screen.getByRole("slider", { name: "Heat shown (this view only)" }), { target: { value: "40" } });
    expect(scene).toHaveStyle({ opacity: "0.6" });
    expect(screen.getByText("40%")).toBeInTheDocument();
  });

  it("has no slider without the plain scene to fade into", () => {
    render(<HeatmapViewer heatmap={file("heatmap.png")} version="1" />);
    expect(screen.queryByRole("slider")).not.toBeInTheDocument();
  });

  it("explains the trajectories: which end is the start, what a colour means", () => {
    render(<HeatmapViewer heatmap={file("heatmap.png")} tracks={file("tracks.png")} version="1" />);
    fireEvent.click(screen.getByRole("radio", { name: "Trajectories" }));
    expect(screen.getByTestId("tracks-legend")).toHaveTextContent(
      "One line per tracked person, from where they were first seen (the plain end) to where they were last seen (the dot). Colours only tell people apart.",
    );
  });
});
