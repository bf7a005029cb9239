import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { HeatmapViewer } from "./HeatmapViewer";

const file = (name: string) => ({ name, url: `/api/jobs/j/files/${name}`, media_type: "image/png", bytes: 10 });

describe("HeatmapViewer", () => {
  it("fades the heatmap into the plain scene in the browser, with a slider named as a view-only control", () => {
    render(<HeatmapViewer heatmap={file("heatmap.png")} background={file("background.png")} version="1" />);
    const slider = screen.getByRole("slider", { name: "Heat shown (this view only)" });
    fireEvent.change(slider, { target: { value: "40" } });
    expect(screen.getByTestId("heatmap-image")).toHaveStyle({ opacity: "0.4" });
    expect(screen.getByText("40%")).toBeInTheDocument();
  });

  it("has no slider without the plain scene to fade into", () => {
    render(<HeatmapViewer heatmap={file("heatmap.png")} version="1" />);
    expect(screen.queryByRole("slider")).not.toBeInTheDocument();
  });
});
