import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { JobParams } from "./JobParams";

describe("JobParams", () => {
  it("says a heatmap job's options in the form's words and units", () => {
    const params = { sample_fps: 5, conf: 0.25, anchor: "box", mode: "all", colormap: "turbo", radius: 0.3, normalization: "p99", opacity: 0.6, stride: null };
    const { container } = render(<JobParams kind="heatmap" params={params} />);
    const shown = [...container.querySelectorAll(".params__item")].map(
      (item) => `${item.querySelector("dt")!.textContent}: ${item.querySelector("dd")!.textContent}`,
    );
    expect(shown).toEqual([
      "Frames analysed per second: 5",
      "Detection confidence: 25 %",
      "Count: Everyone in view",
      "Heat placed at: Whole body",
      "Colours: Turbo",
      "Spot size: 0.3 × body width",
      "Scaling: 99th pct.",
      "Colour strength in heatmap.png: 60 %",
    ]);
    expect(screen.queryByText(/sample fps|conf\b/)).not.toBeInTheDocument();
  });

  it("says a depth job's options as its form does", () => {
    render(<JobParams kind="depth" params={{ colormap: "magma", normalization: "job", point_cloud: false, fov_deg: 60 }} />);
    expect(screen.getByText("One range for the whole job")).toBeInTheDocument();
    expect(screen.getByText("Field of view")).toBeInTheDocument();
  });
});
