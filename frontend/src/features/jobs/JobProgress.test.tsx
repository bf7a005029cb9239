import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeJob } from "../../test/fixtures";
import { JobProgress } from "./JobProgress";

describe("JobProgress", () => {
  it("names the stage a running job is in, with a moving bar while nothing is measured yet", () => {
    render(<JobProgress job={makeJob({ status: "running", progress: 0, stage: "loading_model" })} />);
    expect(screen.getByText("Loading the model (first run exports it, about a minute)")).toBeInTheDocument();
    expect(screen.getByRole("progressbar")).not.toHaveAttribute("aria-valuenow");
  });

  it("gives the time left once the server estimates it", () => {
    render(<JobProgress job={makeJob({ status: "running", progress: 0.3, stage: "detecting", eta_s: 95 })} />);
    expect(screen.getByText("Detecting people · 30% · about 2 min left")).toBeInTheDocument();
  });

  it("counts a depth job's images beside its stage", () => {
    render(
      <JobProgress job={makeJob({ kind: "depth", status: "running", progress: 0.5, stage: "estimating_depth", items_total: 4, items_done: 2, eta_s: 12 })} />,
    );
    expect(screen.getByText("Estimating depth · 50% · 2 of 4 images · about 12 s left")).toBeInTheDocument();
  });
});
