import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client";
import { UploadProgressPanel } from "./UploadProgressPanel";

const MB = 1024 * 1024;

describe("UploadProgressPanel", () => {
  it("shows percent, bytes, speed and a working Cancel button while uploading", async () => {
    const onCancel = vi.fn();
    render(<UploadProgressPanel state={{ phase: "uploading", loaded: 10 * MB, total: 40 * MB, startedAt: 0, now: 4000 }} onCancel={onCancel} />);
    expect(screen.getByRole("progressbar", { name: "Upload progress" })).toHaveAttribute("aria-valuenow", "25");
    expect(screen.getByTestId("upload-numbers")).toHaveTextContent("10.0 MB of 40.0 MB · 2.5 MB/s · about 12 s left");
    await userEvent.click(screen.getByRole("button", { name: "Cancel upload" }));
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it("shows 100% while the server checks the file", () => {
    render(<UploadProgressPanel state={{ phase: "processing", total: 3 * MB, startedAt: 0, now: 1 }} onCancel={() => {}} />);
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
    expect(screen.getByText(/server is checking the file/)).toBeInTheDocument();
  });

  it("shows the server's reason when it refuses the file", () => {
    render(<UploadProgressPanel state={{ phase: "error", error: new ApiError(413, "the video is longer than the 2 h limit") }} onCancel={() => {}} />);
    expect(screen.getByRole("alert")).toHaveTextContent("The video is longer than the 2 h limit.");
  });

  it("says when the upload was cancelled, and shows nothing when idle", () => {
    const { rerender, container } = render(<UploadProgressPanel state={{ phase: "cancelled" }} onCancel={() => {}} />);
    expect(screen.getByText(/Upload cancelled/)).toBeInTheDocument();
    rerender(<UploadProgressPanel state={{ phase: "idle" }} onCancel={() => {}} />);
    expect(container).toBeEmptyDOMElement();
  });
});
