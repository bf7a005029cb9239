import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { JOB_STATUSES } from "../../api/types";
import { StatusBadge } from "./StatusBadge";

describe("StatusBadge", () => {
  it.each([
    ["queued", "Queued"],
    ["running", "Running"],
    ["succeeded", "Done"],
    ["failed", "Failed"],
    ["cancelled", "Cancelled"],
  ] as const)("%s reads as %s", (status, label) => {
    render(<StatusBadge status={status} />);
    const badge = screen.getByText(label);
    expect(badge).toHaveClass(`badge--${status}`);
    expect(badge).toHaveAttribute("data-status", status);
  });

  it("says when a finished job had failures", () => {
    render(<StatusBadge status="succeeded" partial />);
    expect(screen.getByText("Done, with errors")).toHaveClass("badge--partial");
  });

  it("has a label for every job status", () => {
    for (const status of JOB_STATUSES) {
      const { unmount } = render(<StatusBadge status={status} />);
      expect(document.querySelector(".badge")?.textContent).not.toBe(status);
      unmount();
    }
  });
});
