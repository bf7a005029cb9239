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

  it("shows the colour scale in the page, in person-seconds per 100×100 px (not 0.000199 per pixel)", () => {
    const legend = {
      unit: "person-s per 100×100 px",
      colormap: "turbo",
      colors: ["#30123b", "#7a0403"],
      ticks: [1, 0.75, 0.5, 0.25, 0].map((position) => ({ position, value: position * 1.99 })),
    };
    render(<HeatmapViewer heatmap={file("heatmap.png")} legend={legend} version="1" />);
    const shown = screen.getByTestId("heat-legend");
    expect(shown).toHaveAccessibleName("Colour scale: from 0 to 1.99 person-s per 100×100 px");
    expect([...shown.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["0", "0.497", "0.995", "1.49", "1.99"]);
    expect(shown).toHaveTextContent(/each 100×100 pixel square of the picture held that many person-seconds/);
  });

  it("reads the colour scale in person-seconds per square metre when the job's floor is calibrated", () => {
    const legend = {
      unit: "person-s per m²",
      px_per_m2: 1600,
      colormap: "turbo",
      colors: ["#30123b", "#7a0403"],
      ticks: [1, 0.75, 0.5, 0.25, 0].map((position) => ({ position, value: position * 0.32 })),
    };
    render(<HeatmapViewer heatmap={file("heatmap.png")} legend={legend} version="1" />);
    const shown = screen.getByTestId("heat-legend");
    expect(shown).toHaveAccessibleName("Colour scale: from 0 to 0.32 person-s per m²");
    expect(shown).toHaveTextContent(/each square metre of floor held that many person-seconds/);
    expect(shown).toHaveTextContent(/average of 1,600 pixels to a square metre/);
    expect(shown).not.toHaveTextContent(/100×100/);
  });
});
