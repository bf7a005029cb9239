// Shapes of the SceneLab REST API, typed by hand from shared/API.md (the contract).
// Keep this file the only place that knows them; components import from here.

export type Uuid = string;
/** ISO 8601 timestamp with timezone. */
export type Timestamp = string;

export interface User {
  id: Uuid;
  email: string;
  created_at: Timestamp;
}

export interface Credentials {
  email: string;
  password: string;
}

export type JobKind = "heatmap" | "depth";
export const JOB_KINDS: readonly JobKind[] = ["heatmap", "depth"];

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export const JOB_STATUSES: readonly JobStatus[] = ["queued", "running", "succeeded", "failed", "cancelled"];
export const FINISHED_STATUSES: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];

export function isFinished(status: JobStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export interface ResultFile {
  name: string;
  /** Absolute path on this origin, e.g. /api/jobs/{id}/files/heatmap.png */
  url: string;
  media_type: string;
  bytes: number;
}

export interface HeatmapSummary {
  frames_total?: number;
  frames_sampled?: number;
  duration_s?: number;
  fps?: number;
  width?: number;
  height?: number;
  people_unique?: number;
  people_peak?: number;
  people_mean?: number;
  model?: string;
}

export interface DepthSummary {
  images?: number;
  model?: string;
  min_depth?: number;
  max_depth?: number;
}

export interface Job {
  id: Uuid;
  kind: JobKind;
  status: JobStatus;
  /** 0.0 – 1.0 */
  progress: number;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  processing_ms: number | null;
  error: string | null;
  input_name: string;
  params: Record<string, unknown>;
  summary: HeatmapSummary & DepthSummary & Record<string, unknown>;
  items_total: number;
  items_done: number;
  items_failed: number;
  results: ResultFile[];
}

/** What GET /api/jobs/events sends: a Job, or at least the fields that changed. */
export type JobEvent = Pick<Job, "id" | "status" | "progress"> & Partial<Job>;

export interface JobPage {
  items: Job[];
  total: number;
  /** Cursor for the next page, or null on the last page. */
  next: string | null;
}

export interface JobListQuery {
  kind?: JobKind;
  status?: JobStatus;
  limit?: number;
  offset?: number;
}

export type ItemStatus = "queued" | "succeeded" | "failed" | "skipped";

export interface JobItem {
  name: string;
  /** Unique within the job; prefixes the item's result files. May be absent on older servers. */
  stem?: string;
  status: ItemStatus;
  error: string | null;
  results: ResultFile[];
}

export interface JobItems {
  items: JobItem[];
}

export interface Stats {
  total: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export type Colormap = "magma" | "inferno" | "viridis" | "plasma" | "turbo" | "jet" | "gray";
export const COLORMAPS: readonly Colormap[] = ["magma", "inferno", "viridis", "plasma", "turbo", "jet", "gray"];

/** Heatmap colours (OpenCV's maps; no gray here, unlike depth previews). */
export type HeatmapColormap = "turbo" | "jet" | "magma" | "inferno" | "plasma" | "viridis" | "cividis" | "hot" | "parula" | "twilight";
export const HEATMAP_COLORMAPS: readonly HeatmapColormap[] = ["turbo", "jet", "magma", "inferno", "plasma", "viridis", "cividis", "hot", "parula", "twilight"];

export type HeatmapAnchor = "feet" | "center" | "box";
export const HEATMAP_ANCHORS: readonly HeatmapAnchor[] = ["feet", "center", "box"];

/** `all` counts everyone; `movement` ignores people who stand still for long. */
export type HeatmapMode = "all" | "movement";

export interface HeatmapUploadParams {
  sample_fps?: number;
  conf?: number;
  colormap?: HeatmapColormap;
  anchor?: HeatmapAnchor;
  mode?: HeatmapMode;
}

export interface DepthUploadParams {
  colormap?: Colormap;
}

/** `max`: linear to the peak; `p99`: linear to the 99th percentile of heated cells; `log`: three decades. */
export type Normalization = "max" | "p99" | "log";
export const NORMALIZATIONS: readonly Normalization[] = ["p99", "max", "log"];

/** Body of POST /api/jobs/{id}/render; any subset. */
export interface RenderParams {
  colormap?: HeatmapColormap;
  /** Gaussian sigma as a multiple of each person's box width. */
  radius?: number;
  anchor?: HeatmapAnchor;
  mode?: HeatmapMode;
  t_start?: number;
  t_end?: number;
  normalization?: Normalization;
  opacity?: number;
}

/** Contents of the heatmap job's stats.json result (the summary plus a per-second series). */
export interface HeatmapStats extends HeatmapSummary {
  people_per_second?: number[];
  [key: string]: unknown;
}

/** FastAPI's 422 shape: detail is a list of these. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

export interface ErrorBody {
  detail?: string | ValidationIssue[];
}
