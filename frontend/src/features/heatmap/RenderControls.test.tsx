import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client";
import { makeJob } from "../../test/fixtures";
import { RenderControls } from "./RenderControls";

const job = makeJob({
  params: { colormap: "turbo", anchor: "feet", radius: 0.3, normalization: "p99", opacity: 0.6 },
  summary: { duration_s: 60 },
});

describe("RenderControls", () => {
  it("sends only what changed, and the time window as a pair", async () => {
    const onRender = vi.fn();
    render(<RenderControls job={job} pending={false} error={null} lastDurationMs={null} onRender={onRender} />);
    const u = userEvent.setup();
    const redraw = screen.getByRole("button", { name: "Redraw heatmap" });
    expect(redraw).toBeDisabled();

    await u.selectOptions(screen.getByLabelText("Colours"), "viridis");
    await u.selectOptions(screen.getByLabelText("Scaling"), "log");
    await u.type(screen.getByLabelText("End (seconds)"), "30");
    await u.click(redraw);
    expect(onRender).toHaveBeenCalledWith({ colormap: "viridis", normalization: "log", t_end: 30 });

    await u.click(screen.getByRole("button", { name: "Reset" }));
    expect(screen.getByLabelText("Colours")).toHaveValue("turbo");
    expect(redraw).toBeDisabled();
  });

  it("sends the colour strength of the saved image, a control named apart from the viewer's", async () => {
    const onRender = vi.fn();
    render(<RenderControls job={job} pending={false} error={null} lastDurationMs={null} onRender={onRender} />);
    const strength = screen.getByRole("slider", { name: "Colour strength in heatmap.png" });
    expect(strength).toHaveAccessibleDescription(/saved image/);
    fireEvent.change(strength, { target: { value: "0.3" } });
    await userEvent.click(screen.getByRole("button", { name: "Redraw heatmap" }));
    expect(onRender).toHaveBeenCalledWith({ opacity: 0.3 });
  });

  it("refuses a window that ends before it starts", async () => {
    const onRender = vi.fn();
    render(<RenderControls job={job} pending={false} error={null} lastDurationMs={null} onRender={onRender} />);
    const u = userEvent.setup();
    await u.type(screen.getByLabelText("Start (seconds)"), "40");
    await u.type(screen.getByLabelText("End (seconds)"), "10");
    await u.click(screen.getByRole("button", { name: "Redraw heatmap" }));
    expect(screen.getByRole("alert")).toHaveTextContent("The time window must start before it ends.");
    expect(onRender).not.toHaveBeenCalled();
  });

  it("shows the server's refusal and how long the last redraw took", () => {
    const error = new ApiError(422, [{ loc: ["body", "radius"], msg: "Input should be greater than 0", type: "greater_than" }]);
    const { rerender } = render(<RenderControls job={job} pending={false} error={error} lastDurationMs={null} onRender={() => {}} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Radius: Input should be greater than 0.");
    rerender(<RenderControls job={job} pending={false} error={null} lastDurationMs={640} onRender={() => {}} />);
    expect(screen.getByText("Redrawn in 640 ms.")).toBeInTheDocument();
  });
});
