import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ITEM_STATUSES, JOB_STATUSES } from "../api/types";
import { StatusBadge } from "./StatusBadge";

describe("StatusBadge", () => {
  it.each([
    ["queued", "Queued"],
    ["running", "Running"],
    ["succeeded", "Done"],
    ["failed", "Failed"],
    ["cancelled", "Cancelled"],
    ["skipped", "Skipped"],
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

  // The lists are the schema's enums (tsc checks them against schema.d.ts): a status the API adds needs a label.
  it.each([...JOB_STATUSES, ...ITEM_STATUSES])("%s has a label in words", (status) => {
    render(<StatusBadge status={status} />);
    // A missing label shows the raw status (lower case) or nothing.
    expect(document.querySelector(".badge")?.textContent).toMatch(/^[A-Z][a-z]+$/);
  });
});
