import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { chartPoints, niceCeiling, PeoplePerSecondChart, peopleTicks, timeStep } from "./PeoplePerSecondChart";

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
    render(<PeoplePerSecondChart values={[1, 3, 2, 0]} peak={4} mean={1.27} />);
    expect(screen.getByRole("img")).toHaveAccessibleName(
      "People in view per second over 0:04: most at once 4, on average 1.27 people in view, busiest second 0:01.",
    );
    expect(screen.getAllByRole("row")).toHaveLength(5);
  });

  it("shows the server's peak and mean (the tables' figures), not its own per-second ones", () => {
    // Per-second means peak at 3 and average 1.5 (a partial last second counted whole); the server says 4 and 1.27.
    render(<PeoplePerSecondChart values={[1, 3, 2, 0]} peak={4} mean={1.27} what="people inside Door" />);
    expect(screen.getByText("Most at once 4 · on average 1.27 people inside Door · busiest second 0:01")).toBeInTheDocument();
  });

  it.each([
    [1, [0, 1]],
    [2, [0, 1, 2]],
    [5, [0, 3, 5]],
    [10, [0, 5, 10]],
  ])("labels a count axis up to %d with whole people only: %j", (top, ticks) => expect(peopleTicks(top)).toEqual(ticks));

  it("draws no half-people on the axis of a zone where one person stood", () => {
    const { container } = render(<PeoplePerSecondChart values={[0, 1, 1]} peak={1} mean={0.67} />);
    const labels = [...container.querySelectorAll("text.chart__label")].map((t) => t.textContent);
    expect(labels).not.toContain("0.5");
    expect(labels).toContain("people");
  });

  it("says so when there is nothing to draw", () => {
    render(<PeoplePerSecondChart values={[]} peak={0} mean={0} />);
    expect(screen.getByText(/No per-second figures/)).toBeInTheDocument();
  });
});
