import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { chartPoints, niceCeiling, PeoplePerSecondChart, timeStep } from "./PeoplePerSecondChart";

describe("PeoplePerSecondChart", () => {
  it.each([
    [0, 1],
    [0.7, 1],
    [3, 5],
    [5.3, 10],
    [12, 20],
    [2.2, 2.5],
  ])("niceCeiling(%d) = %d", (value, top) => expect(niceCeiling(value)).toBe(top));

  it("picks clock-friendly label steps", () => {
    expect(timeStep(59, 9)).toBe(10);
    expect(timeStep(59, 4)).toBe(15);
    expect(timeStep(5, 9)).toBe(1);
    expect(timeStep(3600, 6)).toBe(600);
    expect(timeStep(3600, 5)).toBe(900);
  });

  it("maps values inside the plot area, zero on the baseline", () => {
    const [first, last] = chartPoints([0, 4], 4, 640);
    expect(first[1]).toBeGreaterThan(last[1]);
    expect(first[0]).toBeLessThan(last[0]);
  });

  it("describes the series for screen readers and offers the numbers as a table", () => {
    render(<PeoplePerSecondChart values={[1, 3, 2, 0]} />);
    expect(screen.getByRole("img")).toHaveAccessibleName("People in view per second over 0:04: peak 3 at 0:01, average 1.5.");
    expect(screen.getAllByRole("row")).toHaveLength(5);
  });

  it("says so when there is nothing to draw", () => {
    render(<PeoplePerSecondChart values={[]} />);
    expect(screen.getByText(/No per-second figures/)).toBeInTheDocument();
  });
});
