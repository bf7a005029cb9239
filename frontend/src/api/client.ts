// The one module that talks to the SceneLab API (contract: docs/API.md): openapi-fetch over the types generated
// from its OpenAPI schema (schema.d.ts), so every path, parameter, body and answer is checked by tsc.
// Every request sends the HttpOnly auth cookie (`credentials: "include"`); the SPA never sees the token.
// A 401 from any endpoint other than the auth ones calls the registered handler, which sends the user
// to the login page.

import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import type {
  ApiTokenCreate,
  ApiTokenCreated,
  ApiTokens,
  Comparison,
  CompareView,
  Credentials,
  NewAccount,
  Registration,
  DepthMetadata,
  DepthUploadParams,
  HeatmapDefaults,
  HeatmapLegend,
  HeatmapStats,
  HeatmapUploadParams,
  Job,
  JobItems,
  JobKind,
  JobListQuery,
  JobPage,
  Regions,
  RegionsAnalysis,
  RenderParams,
  Stats,
  User,
  ValidationIssue,
  WebhookSecret,
} from "./types";
import { HEATMAP_ANCHORS, HEATMAP_COLORMAPS, HEATMAP_MODES } from "./types";
import { capitalize } from "../lib/text";

export const API_BASE = "/api";

/** What the user was doing when an error happened; picks the wording of the message. */
export type ErrorContext = "login" | "register" | "upload" | "general";

/** What FastAPI's validation list (422) says of one field: its place and a message, at the least. */
type FieldIssue = Pick<ValidationIssue, "loc" | "msg"> & Partial<ValidationIssue>;
/** An error answer's `detail`: the server's message, or FastAPI's validation list. */
export type ErrorDetail = string | FieldIssue[] | undefined;

export class ApiError extends Error {
  readonly status: number;
  readonly detail: ErrorDetail;
  /** Seconds from a Retry-After header (429), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, detail: ErrorDetail, retryAfter: number | null = null) {
    super(typeof detail === "string" ? detail : `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

/** Status 0: the request never got an answer (offline, server down, CORS). */
export class NetworkError extends ApiError {
  constructor() {
    super(0, undefined);
    this.name = "NetworkError";
  }
}

/** The connection broke during an upload: often a server refusing a file too large to read to the end. */
export class UploadInterruptedError extends ApiError {
  constructor() {
    super(0, undefined);
    this.name = "UploadInterruptedError";
  }
}

export class AbortedError extends Error {
  constructor() {
    super("Upload cancelled");
    this.name = "AbortedError";
  }
}

// The SPA cannot read the HttpOnly cookie, so it keeps a harmless hint ("someone logged in from this
// browser") to skip asking /auth/me when nobody did: a logged-out visit then makes no failing request.
const SESSION_HINT_KEY = "scenelab.session";

export function hasSessionHint(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT_KEY) === "1";
  } catch {
    return true; // storage blocked: just ask the server
  }
}

function setSessionHint(on: boolean): void {
  try {
    if (on) localStorage.setItem(SESSION_HINT_KEY, "1");
    else localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    /* storage blocked */
  }
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {};

/** Register what happens when the session is gone (a 401 outside the auth endpoints). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

function isAuthPath(path: string): boolean {
  return path.startsWith(`${API_BASE}/auth/`);
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const isFieldIssue = (value: unknown): value is FieldIssue =>
  isRecord(value) &&
  Array.isArray(value.loc) &&
  value.loc.every((part) => typeof part === "string" || typeof part === "number") &&
  typeof value.msg === "string";

function detailOf(body: unknown): ErrorDetail {
  if (isRecord(body)) {
    if (typeof body.detail === "string") return body.detail;
    if (Array.isArray(body.detail)) return body.detail.filter(isFieldIssue);
    return undefined;
  }
  return typeof body === "string" && body.length < 300 ? body : undefined;
}

function handleFailure(path: string, status: number, body: unknown, retryAfter: string | null): never {
  if (status === 401) setSessionHint(false);
  if (status === 401 && !isAuthPath(path)) onUnauthorized();
  throw new ApiError(status, detailOf(body), parseRetryAfter(retryAfter));
}

async function throwUnlessOk(response: Response, path: string): Promise<void> {
  if (!response.ok) handleFailure(path, response.status, parseBody(await response.text()), response.headers.get("Retry-After"));
}

// A request that gets no answer is a NetworkError (an abort stays an AbortError); an answer other than 2xx is
// an ApiError with the server's detail. So an awaited call either has its 2xx body or throws.
const failures: Middleware = {
  onError: ({ error }) => (error instanceof DOMException && error.name === "AbortError" ? error : new NetworkError()),
  onResponse: ({ response, schemaPath }) => throwUnlessOk(response, schemaPath),
};

const client = createClient<paths>({
  // Absolute, as a Request needs outside a page (tests); the page's own origin in the browser.
  baseUrl: globalThis.location?.origin,
  credentials: "include",
  headers: { Accept: "application/json" },
  // Looked up at each call rather than once, so that a test's stand-in for fetch is the one used.
  fetch: (request) => fetch(request),
});
client.use(failures);

/** The body of a 2xx answer (the middleware threw on any other), typed by the schema. */
async function dataOf<Data>(pending: Promise<{ data?: Data }>): Promise<Data> {
  const { data } = await pending;
  if (data === undefined) throw new ApiError(502, "the server's answer was empty");
  return data;
}

/** A file the API gave the URL of (a job's results), with the cookie; failures as the client's. */
async function fetchFile(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "include" });
  } catch {
    throw new NetworkError();
  }
  await throwUnlessOk(response, url);
  return response;
}

/**
 * A result file's JSON (legend.json, stats.json, `<stem>_depth.json`): the files route serves bytes, so the
 * schema cannot type them; types.ts spells out each file's shape.
 */
async function resultJson<Shape>(url: string): Promise<Shape> {
  return (await fetchFile(url)).json();
}

/** The `default` of each property of the schema `name` in an OpenAPI document, read with care: it is plain JSON. */
function schemaDefaults(document: unknown, name: string): Record<string, unknown> {
  const components = isRecord(document) ? document.components : undefined;
  const schemas = isRecord(components) ? components.schemas : undefined;
  const schema = isRecord(schemas) ? schemas[name] : undefined;
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  return Object.fromEntries(Object.entries(properties).flatMap(([key, field]) => (isRecord(field) && "default" in field ? [[key, field.default]] : [])));
}

const numberOrUndefined = (value: unknown) => (typeof value === "number" ? value : undefined);
const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined => values.find((v) => v === value);

const jobPath = (id: string) => ({ params: { path: { job_id: id } } });

function queryString(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

// ---------------------------------------------------------------------------------------------
// Uploads go through XMLHttpRequest: fetch cannot report upload progress.

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadHandle<T> {
  promise: Promise<T>;
  abort: () => void;
}

/** The routes that take a multipart upload, and what each answers when it accepts one (202). */
type UploadPath = "/api/jobs/heatmap" | "/api/jobs/depth";
type Accepted<Path extends UploadPath> = paths[Path]["post"]["responses"][202]["content"]["application/json"];

/** Factory for the XHR object; replaced in unit tests. */
export let createXhr = (): XMLHttpRequest => new XMLHttpRequest();
export function setXhrFactory(factory: () => XMLHttpRequest): void {
  createXhr = factory;
}

export function uploadForm<Path extends UploadPath>(path: Path, form: FormData, onProgress?: (p: UploadProgress) => void): UploadHandle<Accepted<Path>> {
  const xhr = createXhr();
  const promise = new Promise<Accepted<Path>>((resolve, reject) => {
    xhr.open("POST", path);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    let sentSome = false;
    xhr.upload.onprogress = (event: ProgressEvent) => {
      if (event.loaded > 0) sentSome = true;
      if (onProgress) onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        // XHR parses nothing itself: the schema types the 202 answer (Accepted), as openapi-fetch would.
        resolve(JSON.parse(xhr.responseText));
        return;
      }
      try {
        handleFailure(path, xhr.status, parseBody(xhr.responseText), xhr.getResponseHeader("Retry-After"));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(sentSome ? new UploadInterruptedError() : new NetworkError());
    xhr.onabort = () => reject(new AbortedError());
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

function appendParams(form: FormData, params: object): void {
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") form.append(key, String(value));
  }
}

// ---------------------------------------------------------------------------------------------

export const api = {
  auth: {
    register: (account: NewAccount): Promise<User> => dataOf(client.POST("/api/auth/register", { body: account })),
    registration: (): Promise<Registration> => dataOf(client.GET("/api/auth/registration")),
    login: async (credentials: Credentials): Promise<User> => {
      const user = await dataOf(client.POST("/api/auth/login", { body: credentials }));
      setSessionHint(true);
      return user;
    },
    logout: async (): Promise<void> => {
      setSessionHint(false);
      await client.POST("/api/auth/logout");
    },
    /** The current user, or null when not logged in (without asking when this browser has no session). */
    me: async (): Promise<User | null> => {
      if (!hasSessionHint()) return null;
      try {
        const user = await dataOf(client.GET("/api/auth/me"));
        setSessionHint(true);
        return user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    /** The secret the user's webhooks are signed with (made on the first call). */
    webhookSecret: (): Promise<WebhookSecret> => dataOf(client.GET("/api/auth/webhook-secret")),
    /** A new webhook secret: every message from now on is signed with it. */
    rotateWebhookSecret: (): Promise<WebhookSecret> => dataOf(client.POST("/api/auth/webhook-secret")),
  },

  jobs: {
    list: (query: JobListQuery = {}): Promise<JobPage> => dataOf(client.GET("/api/jobs", { params: { query } })),
    get: (id: string): Promise<Job> => dataOf(client.GET("/api/jobs/{job_id}", jobPath(id))),
    items: (id: string): Promise<JobItems> => dataOf(client.GET("/api/jobs/{job_id}/items", jobPath(id))),
    render: (id: string, params: RenderParams): Promise<Job> => dataOf(client.POST("/api/jobs/{job_id}/render", { ...jobPath(id), body: params })),
    cancel: (id: string): Promise<Job> => dataOf(client.POST("/api/jobs/{job_id}/cancel", jobPath(id))),
    remove: async (id: string): Promise<void> => {
      await client.DELETE("/api/jobs/{job_id}", jobPath(id));
    },
    /** The footfall figures of a heatmap job's regions (404 when none were set). */
    regions: (id: string): Promise<RegionsAnalysis> => dataOf(client.GET("/api/jobs/{job_id}/regions", jobPath(id))),
    setRegions: (id: string, regions: Regions): Promise<RegionsAnalysis> => dataOf(client.PUT("/api/jobs/{job_id}/regions", { ...jobPath(id), body: regions })),

    uploadHeatmap: (file: File, params: HeatmapUploadParams, onProgress?: (p: UploadProgress) => void): UploadHandle<Job> => {
      const form = new FormData();
      form.append("file", file, file.name);
      appendParams(form, params);
      return uploadForm("/api/jobs/heatmap", form, onProgress);
    },
    uploadDepth: (files: File[], params: DepthUploadParams, onProgress?: (p: UploadProgress) => void): UploadHandle<Job> => {
      const form = new FormData();
      for (const file of files) form.append("files", file, file.name);
      appendParams(form, params);
      return uploadForm("/api/jobs/depth", form, onProgress);
    },

    /** The defaults the server applies to a heatmap upload, read from its OpenAPI document. */
    heatmapDefaults: async (): Promise<HeatmapDefaults> => {
      const defaults = schemaDefaults(await (await fetchFile(`${API_BASE}/openapi.json`)).json(), "HeatmapOptions");
      return {
        sample_fps: numberOrUndefined(defaults.sample_fps),
        conf: numberOrUndefined(defaults.conf),
        colormap: oneOf(HEATMAP_COLORMAPS, defaults.colormap),
        anchor: oneOf(HEATMAP_ANCHORS, defaults.anchor),
        mode: oneOf(HEATMAP_MODES, defaults.mode),
      };
    },
    /** legend.json of a heatmap job (url from its results). */
    heatmapLegend: (url: string) => resultJson<HeatmapLegend>(url),
    /** stats.json of a heatmap job (url from its results). */
    heatmapStats: (url: string) => resultJson<HeatmapStats>(url),
    /** `<stem>_depth.json` of a depth item (url from its results). */
    depthMetadata: (url: string) => resultJson<DepthMetadata>(url),
    /** A file's bytes (e.g. a 16-bit PNG to read at full precision). */
    fileBytes: async (url: string) => (await fetchFile(url)).arrayBuffer(),

    fileUrl: (id: string, name: string) => `${API_BASE}/jobs/${encodeURIComponent(id)}/files/${encodeURIComponent(name)}`,
    archiveUrl: (id: string) => `${API_BASE}/jobs/${encodeURIComponent(id)}/archive`,
    allArchiveUrl: (kind: JobKind) => `${API_BASE}/jobs/archive${queryString({ kind })}`,
    eventsUrl: () => `${API_BASE}/jobs/events`,
  },

  compare: {
    /** Heatmap jobs `a` and `b` on one scale (computed on a worker: may take a few seconds). */
    get: (a: string, b: string): Promise<Comparison> => dataOf(client.GET("/api/compare", { params: { query: { a, b } } })),
    imageUrl: (a: string, b: string, view: CompareView) => `${API_BASE}/compare/image${queryString({ a, b, view })}`,
  },

  stats: (): Promise<Stats> => dataOf(client.GET("/api/stats")),

  tokens: {
    list: (): Promise<ApiTokens> => dataOf(client.GET("/api/tokens")),
    create: (body: ApiTokenCreate): Promise<ApiTokenCreated> => dataOf(client.POST("/api/tokens", { body })),
    revoke: async (id: string): Promise<void> => {
      await client.DELETE("/api/tokens/{token_id}", { params: { path: { token_id: id } } });
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Turning errors into words a person understands.

function sentence(text: string): string {
  const capital = capitalize(text.trim().replace(/^Value error,\s*/i, ""));
  return !capital || /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function fieldName(loc: (string | number)[]): string | undefined {
  const last = [...loc].reverse().find((part) => typeof part === "string" && part !== "body" && part !== "query");
  return typeof last === "string" ? last : undefined;
}

/** The server's `detail` as words: a string as is, FastAPI's validation list as "field: message" lines. */
export function detailText(detail: ErrorDetail): string | undefined {
  if (typeof detail === "string") return detail ? sentence(detail) : undefined;
  if (Array.isArray(detail) && detail.length > 0) {
    return detail
      .map((issue) => {
        const field = fieldName(issue.loc);
        const msg = sentence(issue.msg || "is not valid");
        const label = field?.replace(/_/g, " ");
        if (!label || msg.toLowerCase().includes(label.toLowerCase())) return msg;
        return `${capitalize(label)}: ${msg}`;
      })
      .join(" ");
  }
  return undefined;
}

function waitText(retryAfter: number | null): string {
  if (retryAfter && retryAfter > 0) {
    return retryAfter >= 90 ? `in about ${Math.ceil(retryAfter / 60)} minutes` : `in ${retryAfter} seconds`;
  }
  return "in a minute";
}

/** A message for the user about `error`, worded for what they were doing. */
export function errorMessage(error: unknown, context: ErrorContext = "general"): string {
  if (error instanceof AbortedError) return "Upload cancelled.";
  if (!(error instanceof ApiError)) {
    return error instanceof Error && error.message ? error.message : "Something went wrong. Please try again.";
  }
  if (error instanceof UploadInterruptedError) {
    return "The upload was interrupted. The server may have refused the file (is it too large?), or the connection dropped.";
  }
  if (error.status === 0) return "Can't reach the SceneLab server. Check your connection and try again.";
  const detail = detailText(error.detail);

  switch (error.status) {
    case 401:
      if (context === "login") return "Wrong email or password.";
      return "Your session has ended. Please log in again.";
    case 409:
      if (context === "register") return "An account with this email already exists. Log in instead, or use another email.";
      return detail ?? "That can't be done in the job's current state.";
    case 422:
      if (context === "register" || context === "login") {
        return detail ?? "Check the email address and password.";
      }
      return detail ?? "Some values are not valid.";
    case 429:
      if (context === "login" || context === "register" || !detail) return `Too many attempts. Please wait and try again ${waitText(error.retryAfter)}.`;
      return `${detail} Try again ${waitText(error.retryAfter)}.`;
    case 404:
      return detail && detail !== "Not Found." ? detail : "Not found. It may have been deleted.";
    case 413:
      return detail ?? "That upload is too large.";
    case 415:
      return detail ?? "That file type isn't supported.";
  }
  // A 503 says what is unavailable (busy redraw slots, the database, the disk), meant for the user.
  if (error.status === 503 && detail) return detail;
  if (error.status >= 500) return `The server had a problem (${error.status}). Please try again in a moment.`;
  return detail ?? `The request failed (${error.status}).`;
}
