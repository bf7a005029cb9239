import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { DEPTH_EXTENSIONS, VIDEO_EXTENSIONS } from "../../lib/files";
import { FileDropZone } from "./FileDropZone";

describe("FileDropZone", () => {
  it("takes dropped files and highlights while dragging", () => {
    const onFiles = vi.fn();
    render(<FileDropZone extensions={DEPTH_EXTENSIONS} multiple what="images" onFiles={onFiles} />);
    const zone = screen.getByTestId("dropzone");
    const files = [new File(["a"], "a.jpg"), new File(["b"], "b.zip")];
    fireEvent.dragEnter(zone, { dataTransfer: { types: ["Files"], files } });
    expect(zone).toHaveClass("dropzone--active");
    expect(screen.getByText("Drop to add")).toBeInTheDocument();
    fireEvent.drop(zone, { dataTransfer: { types: ["Files"], files } });
    expect(zone).not.toHaveClass("dropzone--active");
    expect(onFiles).toHaveBeenCalledWith(files);
  });

  it("keeps only the first file when one is expected", () => {
    const onFiles = vi.fn();
    render(<FileDropZone extensions={VIDEO_EXTENSIONS} what="a video" onFiles={onFiles} />);
    const files = [new File(["a"], "a.mp4"), new File(["b"], "b.mp4")];
    fireEvent.drop(screen.getByTestId("dropzone"), { dataTransfer: { types: ["Files"], files } });
    expect(onFiles).toHaveBeenCalledWith([files[0]]);
  });

  it("opens the picker from a real button and passes on the picked files", async () => {
    const onFiles = vi.fn();
    render(<FileDropZone extensions={VIDEO_EXTENSIONS} what="a video" onFiles={onFiles} />);
    const input = screen.getByTestId("file-input") as HTMLInputElement;
    expect(input.accept).toBe(".mp4,.avi,.mov,.mkv,.webm");
    const click = vi.spyOn(input, "click");
    await userEvent.click(screen.getByRole("button", { name: "Choose a file" }));
    expect(click).toHaveBeenCalled();
    const video = new File(["v"], "clip.webm", { type: "video/webm" });
    await userEvent.upload(input, video);
    expect(onFiles).toHaveBeenCalledWith([video]);
  });
});
