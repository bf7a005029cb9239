// The SceneLab REST API's shapes, named for the SPA: aliases of the types generated from the backend's
// OpenAPI schema (schema.d.ts, `make api-types`), so a change of the contract shows up here as a tsc error.
// Components import from here, never from schema.d.ts.

import type { Client, ClientPathsWithMethod, MethodResponse } from "openapi-fetch";
import type { components, paths } from "./schema";

type Schemas = components["schemas"];
type MultipartBody<Path extends keyof paths> = paths[Path] extends { post: { requestBody?: { content: { "multipart/form-data": infer Body } } } }
  ? Body
  : never;

export type User = Schemas["UserPublic"];
export type Credentials = Schemas["Credentials"];
/** Body of POST /api/auth/register: the credentials, and the invitation's token where one is needed. */
export type NewAccount = Schemas["UserCreate"];
/** Who may register (GET /api/auth/registration): anyone, invitees, or nobody. */
export type Registration = Schemas["Registration"];
export type JobKind = Schemas["JobKind"];
export type JobStatus = Schemas["JobStatus"];
export type ItemStatus = Schemas["ItemStatus"];
export type ResultFile = Schemas["ResultFile"];
export type JobPage = Omit<Schemas["JobsPage"], "items"> & { items: Job[] };
export type JobItem = Schemas["ItemPublic"];
export type JobItems = Schemas["ItemsPage"];
export type Stats = Schemas["Stats"];
export type JobListQuery = NonNullable<paths["/api/jobs"]["get"]["parameters"]["query"]>;
/** Body of POST /api/jobs/{id}/render: any subset of the drawing options. */
export type RenderParams = Schemas["RenderUpdate"];
export type JobStage = Schemas["JobStage"];
/** Body of PUT /api/jobs/{id}/regions: footfall zones (polygons) and lines, in frame pixels. */
export type Regions = Schemas["Regions"];
/** What a route answers (2xx) as openapi-fetch reads it: as the schema says, but a pair comes as a plain array. */
type Answer<Method extends "get" | "post" | "put", Path extends ClientPathsWithMethod<Client<paths>, Method>> = MethodResponse<Client<paths>, Method, Path>;
/** What PUT and GET /api/jobs/{id}/regions answer (regions.json). */
export type RegionsAnalysis = Answer<"get", "/api/jobs/{job_id}/regions">;
export type ZoneFigures = Schemas["ZoneFigures"];
export type LineFigures = Schemas["LineFigures"];
/** `GET /api/compare`: two heatmap jobs on one scale. */
export type Comparison = Schemas["Comparison"];
export type CompareView = NonNullable<NonNullable<paths["/api/compare/image"]["get"]["parameters"]["query"]>["view"]>;
/** An API token as listed (GET /api/tokens): never the token itself. */
export type ApiToken = Schemas["ApiTokenPublic"];
/** Body of POST /api/tokens. */
export type ApiTokenCreate = Schemas["ApiTokenCreate"];
/** What POST /api/tokens answers: the only time `token` is seen. */
export type ApiTokenCreated = Schemas["ApiTokenCreated"];
export type ApiTokens = Schemas["ApiTokensPage"];
/** The key a user's webhooks are signed with (`whsec_…`, Standard Webhooks). */
export type WebhookSecret = Schemas["WebhookSecret"];
/** One `job.finished` message to a job's webhook, and its latest attempt. */
export type WebhookDelivery = Schemas["WebhookDeliveryPublic"];
/** One entry of FastAPI's 422 `detail` list. */
export type ValidationIssue = Schemas["ValidationError"];

/** The heatmap upload's option fields (the file travels apart). */
export type HeatmapUploadParams = Partial<Omit<MultipartBody<"/api/jobs/heatmap">, "file">>;
/** The depth upload's option fields (the files travel apart). */
export type DepthUploadParams = Partial<Omit<MultipartBody<"/api/jobs/depth">, "files">>;

export type HeatmapColormap = NonNullable<RenderParams["colormap"]>;
export type HeatmapAnchor = NonNullable<RenderParams["anchor"]>;
/** The server's defaults of the upload form's heatmap options (from its OpenAPI schema; an operator's settings included). */
export type HeatmapDefaults = Partial<Pick<Schemas["HeatmapOptions"], "sample_fps" | "conf" | "colormap" | "anchor" | "mode">>;
/** `all` counts everyone; `movement` ignores people who stand still for long. */
export type HeatmapMode = NonNullable<RenderParams["mode"]>;
/** `max`: linear to the peak; `p99`: linear to the 99th percentile of heated cells; `log`: three decades. */
export type Normalization = NonNullable<RenderParams["normalization"]>;

/**
 * Every value of the union `T`, as a list checked by tsc both ways: a value the schema does not have, or one
 * it has and the list leaves out, is a type error.
 */
const allOf =
  <T extends string>() =>
  <const L extends readonly T[]>(values: L & ([T] extends [L[number]] ? unknown : "misses a value of the schema's enum")): readonly T[] =>
    values;

export const JOB_KINDS = allOf<JobKind>()(["heatmap", "depth"]);
export const JOB_STATUSES = allOf<JobStatus>()(["queued", "running", "succeeded", "failed", "cancelled"]);
export const ITEM_STATUSES = allOf<ItemStatus>()(["queued", "succeeded", "failed", "skipped"]);
export const FINISHED_STATUSES: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];

export function isFinished(status: JobStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

/** Heatmap colours (OpenCV's maps; no gray here, unlike depth previews). */
export const HEATMAP_COLORMAPS = allOf<HeatmapColormap>()(["turbo", "jet", "magma", "inferno", "plasma", "viridis", "cividis", "hot", "parula", "twilight"]);
export const HEATMAP_ANCHORS = allOf<HeatmapAnchor>()(["feet", "center", "box"]);
export const NORMALIZATIONS = allOf<Normalization>()(["p99", "max", "log"]);
export const HEATMAP_MODES = allOf<HeatmapMode>()(["all", "movement"]);

/** Depth preview colours (gray included, unlike heatmaps). */
export type Colormap = NonNullable<DepthUploadParams["colormap"]>;
export const COLORMAPS = allOf<Colormap>()(["magma", "inferno", "viridis", "plasma", "turbo", "jet", "gray"]);

/**
 * A heatmap job's summary: the video's probe (VideoSummary) while it is queued, running, failed or cancelled,
 * every field of HeatmapSummary once it succeeded; so each field may be missing.
 */
export type HeatmapSummary = Partial<Schemas["HeatmapSummary"]>;

/** `image`: each depth map's preview and 16-bit PNG span its own range; `job`: all of a job's share the job's. */
export type DepthNormalization = NonNullable<DepthUploadParams["normalization"]>;
export const DEPTH_NORMALIZATIONS = allOf<DepthNormalization>()(["image", "job"]);

// A depth item's `<stem>_depth.json` is a file, not part of the OpenAPI schema: its shape is spelled out here.

/** How `<stem>_depth16.png` maps metres: `near` (0) is `min_m`, `far` (65535) is `max_m`, linear between. */
export type Png16Range = Schemas["Png16Range"];

/** Contents of a heatmap job's `legend.json`: the colour scale of heatmap.png (`app.kinds.heatmap.HeatmapLegend`). */
export interface HeatmapLegend {
  /** "person-s per m²" while the job has a floor calibration, else "person-s per 100×100 px". */
  unit: string;
  /** Frame pixels per m² of floor over the calibrated area; null (absent in older jobs) without a calibration. */
  px_per_m2?: number | null;
  colormap: string;
  /** "#rrggbb" stops evenly along the scale, low end first. */
  colors: string[];
  /** `position` 0 (bottom) to 1 (top); `value` in `unit`. */
  ticks: { position: number; value: number }[];
}

/** Contents of a depth item's `<stem>_depth.json`. */
export interface DepthMetadata {
  model: string;
  weights_sha256: string;
  imgsz: number;
  units: "m";
  scale: string;
  min_m: number;
  max_m: number;
  median_m: number;
  width: number;
  height: number;
  exif_orientation_applied: boolean;
  focal_px: number;
  focal_source: "exif" | "fov" | "default";
  normalization: DepthNormalization;
  png16: Png16Range;
}

/** Every field of any member of the union `U`, each optional, typed as the members that have it type it. */
type AnyFieldOf<U> = { [K in U extends unknown ? keyof U : never]?: U extends { [P in K]?: infer V } ? V : never };

/** What GET /api/jobs/{job_id} answers: one model per kind, told apart by `kind`. */
type JobPublic = paths["/api/jobs/{job_id}"]["get"]["responses"][200]["content"]["application/json"];
/** A job's summary, read as any kind's: `kind` tells which it is, and a job that has not succeeded has only some fields. */
export type JobSummary = AnyFieldOf<JobPublic["summary"]>;
/** A job: narrowed on `kind`, its `params` are that kind's options; its summary reads as any kind's. */
export type Job = JobPublic extends infer J ? (J extends JobPublic ? Omit<J, "summary"> & { summary: JobSummary } : never) : never;
/** A job of one kind. */
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;

/** What GET /api/jobs/events sends: a Job, or at least the fields that changed (its kind and options never do). */
export type JobEvent = Pick<Job, "id" | "status" | "progress"> & Partial<Omit<Job, "kind" | "params">>;

/** Contents of the heatmap job's stats.json result (the summary plus a per-second series and the options used). */
export type HeatmapStats = HeatmapSummary & { people_per_second?: number[]; slice_s?: number; [key: string]: unknown };
