import { describe, expect, it } from "vitest";
import type { JobItem, ResultFile } from "../api/types";
import { checkFiles, DEPTH_EXTENSIONS, depthPair, downloadUrl, VIDEO_EXTENSIONS, withVersion } from "./files";

const file = (name: string, media_type = "image/png"): ResultFile => ({ name, url: `/api/jobs/j/files/${name}`, media_type, bytes: 10 });

describe("checkFiles", () => {
  it("accepts the listed extensions in any case and says why others are left out", () => {
    const files = [new File(["x"], "clip.MP4"), new File(["x"], "notes.txt"), new File(["x"], "README")];
    const { accepted, rejected } = checkFiles(files, VIDEO_EXTENSIONS);
    expect(accepted.map((f) => f.name)).toEqual(["clip.MP4"]);
    expect(rejected.map((r) => r.reason)).toEqual([".txt files aren't accepted here", "the file has no extension"]);
  });

  it("accepts images and ZIPs for depth", () => {
    const names = ["a.jpg", "b.jpeg", "c.png", "d.webp", "e.bmp", "f.tiff", "g.zip"];
    expect(
      checkFiles(
        names.map((n) => new File(["x"], n)),
        DEPTH_EXTENSIONS,
      ).accepted,
    ).toHaveLength(7);
  });
});

describe("depthPair", () => {
  it("finds the input and the colour preview by stem", () => {
    const item: JobItem = {
      name: "photos/street.jpg",
      stem: "street",
      status: "succeeded",
      error: null,
      results: [file("street.jpg", "image/jpeg"), file("street_depth.png"), file("street_depth16.png"), file("street_depth.npy", "application/octet-stream")],
    };
    const pair = depthPair(item);
    expect(pair.input?.name).toBe("street.jpg");
    expect(pair.depth?.name).toBe("street_depth.png");
    expect(pair.sixteen?.name).toBe("street_depth16.png");
    expect(pair.metadata).toBeUndefined();
    expect(pair.inputViewable).toBe(true);
  });

  it("finds the metadata and the point cloud", () => {
    const item: JobItem = { name: "a.png", stem: "a", status: "succeeded", error: null, results: [file("a_depth.json", "application/json")] };
    const pair = depthPair(item, [file("a_points.ply", "application/octet-stream"), file("ab_points.ply", "application/octet-stream")]);
    expect(pair.metadata?.name).toBe("a_depth.json");
    expect(pair.points?.name).toBe("a_points.ply");
  });

  it("falls back to the job's results and marks TIFF inputs as not viewable", () => {
    const item: JobItem = { name: "scan.tiff", stem: "scan", status: "succeeded", error: null, results: [] };
    const pair = depthPair(item, [file("scan.tiff", "image/tiff"), file("scan_depth.png"), file("other_depth.png")]);
    expect(pair.stem).toBe("scan");
    expect(pair.depth?.name).toBe("scan_depth.png");
    expect(pair.inputViewable).toBe(false);
  });
});

describe("urls", () => {
  it("adds cache-busting and download parameters", () => {
    expect(withVersion("/a.png", 3)).toBe("/a.png?v=3");
    expect(withVersion("/a.png?x=1", "b c")).toBe("/a.png?x=1&v=b%20c");
    expect(withVersion("/a.png", undefined)).toBe("/a.png");
    expect(downloadUrl("/a.png")).toBe("/a.png?download=true");
  });
});
