// Which files each upload accepts, and how to find a job's result files by their stable names.

import type { JobItem, ResultFile } from "../api/types";

export const VIDEO_EXTENSIONS = ["mp4", "avi", "mov", "mkv", "webm"] as const;
export const IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "bmp", "tiff", "tif"] as const;
export const DEPTH_EXTENSIONS = [...IMAGE_EXTENSIONS, "zip"] as const;

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
}

/** The `accept` attribute for a file input: ".mp4,.avi,…" */
export function acceptAttribute(extensions: readonly string[]): string {
  return extensions.map((ext) => `.${ext}`).join(",");
}

export interface FileCheck {
  accepted: File[];
  rejected: { file: File; reason: string }[];
}

/** Split files into those with an accepted extension and those without (with a reason). */
export function checkFiles(files: File[], extensions: readonly string[]): FileCheck {
  const accepted: File[] = [];
  const rejected: FileCheck["rejected"] = [];
  for (const file of files) {
    const ext = extensionOf(file.name);
    if ((extensions as readonly string[]).includes(ext)) {
      accepted.push(file);
    } else if (file.size === 0 && !ext) {
      rejected.push({ file, reason: "folders can't be uploaded; pick the files inside or a ZIP" });
    } else {
      rejected.push({ file, reason: ext ? `.${ext} files aren't accepted here` : "the file has no extension" });
    }
  }
  return { accepted, rejected };
}

export function findResult(results: ResultFile[], name: string): ResultFile | undefined {
  return results.find((r) => r.name === name);
}

/** Append a cache-busting query parameter (the render endpoint redraws files under the same name). */
export function withVersion(url: string, version: string | number | undefined): string {
  if (version === undefined || version === "") return url;
  return `${url}${url.includes("?") ? "&" : "?"}v=${encodeURIComponent(String(version))}`;
}

/** A file URL that the server answers as an attachment (images otherwise open inline). */
export function downloadUrl(url: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}download=true`;
}

/** Formats browsers can show in an <img>. */
const BROWSER_IMAGE = /\.(png|jpe?g|webp|gif|bmp|avif)$/i;

export interface DepthPair {
  stem: string;
  input?: ResultFile;
  /** The colour preview `<stem>_depth.png`. */
  depth?: ResultFile;
  /** `<stem>_depth16.png`: depth at 16 bits, linear over the range in `<stem>_depth.json`. */
  sixteen?: ResultFile;
  /** `<stem>_depth.json`: what the numbers mean (metres, range, focal length). */
  metadata?: ResultFile;
  /** `<stem>_points.ply`, when the job made point clouds. */
  points?: ResultFile;
  /** Whether the input can be shown in a browser (TIFF can't). */
  inputViewable: boolean;
}

/**
 * The input image and the depth files of a depth item: looked up in the item's results, then in the whole
 * job's results (where `<stem>.<ext>` is the input and `<stem>_depth.png` the preview).
 */
export function depthPair(item: JobItem, jobResults: ResultFile[] = []): DepthPair {
  const { stem } = item;
  const find = (match: (r: ResultFile) => boolean) => item.results.find(match) ?? jobResults.find(match);
  const named = (suffix: string) => find((r) => r.name === `${stem}${suffix}`);
  const input = find((r) => r.name.startsWith(`${stem}.`));
  return {
    stem,
    input,
    depth: named("_depth.png"),
    sixteen: named("_depth16.png"),
    metadata: named("_depth.json"),
    points: named("_points.ply"),
    inputViewable: !!input && BROWSER_IMAGE.test(input.name),
  };
}
