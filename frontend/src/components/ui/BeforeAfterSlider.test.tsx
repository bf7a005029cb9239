import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BeforeAfterSlider } from "./BeforeAfterSlider";

function setup(initial?: number) {
  render(<BeforeAfterSlider beforeSrc="/in.jpg" beforeAlt="Input" afterSrc="/depth.png" afterAlt="Depth map" label="Compare" initial={initial} />);
  return { handle: screen.getByRole("slider", { name: "Compare" }), after: screen.getByAltText("Depth map") };
}

describe("BeforeAfterSlider", () => {
  it("starts in the middle and clips the depth map to the right of the handle", () => {
    const { handle, after } = setup();
    expect(handle).toHaveAttribute("aria-valuenow", "50");
    expect(handle).toHaveAttribute("aria-valuetext", "50% input, 50% depth");
    expect(after.style.clipPath).toBe("inset(0 0 0 50%)");
  });

  it("moves with the keyboard: arrows, Shift+arrows, Page keys, Home and End", async () => {
    const user = userEvent.setup();
    const { handle, after } = setup();
    await user.tab();
    expect(handle).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(handle).toHaveAttribute("aria-valuenow", "52");
    await user.keyboard("{Shift>}{ArrowLeft}{/Shift}");
    expect(handle).toHaveAttribute("aria-valuenow", "42");
    await user.keyboard("{PageUp}");
    expect(handle).toHaveAttribute("aria-valuenow", "52");
    await user.keyboard("{Home}");
    expect(handle).toHaveAttribute("aria-valuenow", "0");
    await user.keyboard("{ArrowLeft}");
    expect(handle).toHaveAttribute("aria-valuenow", "0");
    await user.keyboard("{End}");
    expect(handle).toHaveAttribute("aria-valuenow", "100");
    expect(after.style.clipPath).toBe("inset(0 0 0 100%)");
  });

  it("follows the pointer while dragging, and stops after release", () => {
    const { handle } = setup(10);
    const frame = screen.getByTestId("before-after");
    frame.getBoundingClientRect = () => ({ left: 100, width: 400, top: 0, height: 300, right: 500, bottom: 300, x: 100, y: 0, toJSON: () => ({}) });
    fireEvent.pointerDown(frame, { clientX: 200, button: 0, pointerId: 1 });
    expect(handle).toHaveAttribute("aria-valuenow", "25");
    fireEvent.pointerMove(frame, { clientX: 400, pointerId: 1 });
    expect(handle).toHaveAttribute("aria-valuenow", "75");
    fireEvent.pointerMove(frame, { clientX: 900, pointerId: 1 });
    expect(handle).toHaveAttribute("aria-valuenow", "100");
    fireEvent.pointerUp(frame, { pointerId: 1 });
    fireEvent.pointerMove(frame, { clientX: 100, pointerId: 1 });
    expect(handle).toHaveAttribute("aria-valuenow", "100");
    expect(handle).toHaveFocus();
  });
});
