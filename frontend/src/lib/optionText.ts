// The words for every processing option and its values: the forms, the Redraw controls and a job's Details
// all use these, so that one value has one label everywhere.
import type { JobKind } from "../api/types";
import { capitalize } from "./text";
import { formatNumber } from "./format";

export const ANCHOR_TEXT: Record<string, { label: string; hint: string }> = {
  feet: { label: "Feet", hint: "where people stand on the floor (recommended)" },
  center: { label: "Body centre", hint: "middle of each person" },
  box: { label: "Whole body", hint: "spread over each person's box" },
};
export const ANCHOR_LABELS: Record<string, string> = Object.fromEntries(Object.entries(ANCHOR_TEXT).map(([value, text]) => [value, text.label]));
export const MODE_LABELS: Record<string, string> = { all: "Everyone in view", movement: "Only people on the move" };
export const HEAT_SCALING_LABELS: Record<string, string> = { p99: "99th pct.", max: "Peak", log: "Log" };
export const DEPTH_RANGE_LABELS: Record<string, string> = { image: "Each image its own range", job: "One range for the whole job" };

const percent = (value: unknown) => `${formatNumber(Number(value) * 100, 0)} %`;
const label = (labels: Record<string, string>) => (value: unknown) => labels[String(value)] ?? capitalize(String(value));

interface OptionText {
  label: string;
  value: (value: unknown) => string;
}

const HEATMAP_OPTIONS: Record<string, OptionText> = {
  sample_fps: { label: "Frames analysed per second", value: (v) => formatNumber(Number(v), 2) },
  stride: { label: "Every n-th frame", value: (v) => formatNumber(Number(v), 0) },
  conf: { label: "Detection confidence", value: percent },
  mode: { label: "Count", value: label(MODE_LABELS) },
  anchor: { label: "Heat placed at", value: label(ANCHOR_LABELS) },
  colormap: { label: "Colours", value: label({}) },
  radius: { label: "Spot size", value: (v) => `${formatNumber(Number(v), 2)} × body width` },
  normalization: { label: "Scaling", value: label(HEAT_SCALING_LABELS) },
  t_start: { label: "From", value: (v) => `${formatNumber(Number(v), 1)} s` },
  t_end: { label: "To", value: (v) => `${formatNumber(Number(v), 1)} s` },
  opacity: { label: "Colour strength in heatmap.png", value: percent },
};

const DEPTH_OPTIONS: Record<string, OptionText> = {
  colormap: { label: "Colours of the preview", value: label({}) },
  normalization: { label: "Colour and 16-bit range", value: label(DEPTH_RANGE_LABELS) },
  fov_deg: { label: "Field of view", value: (v) => `${formatNumber(Number(v), 1)}°` },
  point_cloud: { label: "3D point cloud", value: (v) => (v ? "Yes" : "No") },
};

/** A job's options in the forms' words and units, in the forms' order; unknown keys as they come. */
export function describeParams(kind: JobKind, params: Record<string, unknown>): { label: string; value: string }[] {
  const known = kind === "heatmap" ? HEATMAP_OPTIONS : DEPTH_OPTIONS;
  const present = Object.entries(params).filter(([, v]) => v !== null && v !== undefined && typeof v !== "object");
  const order = Object.keys(known);
  present.sort(([a], [b]) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1));
  return present.map(([key, value]) =>
    known[key] ? { label: known[key].label, value: known[key].value(value) } : { label: capitalize(key.replace(/_/g, " ")), value: String(value) },
  );
}
