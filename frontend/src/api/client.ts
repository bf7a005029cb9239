// The one module that talks to the SceneLab API (contract: docs/API.md; types generated from its OpenAPI schema).
// Every request sends the HttpOnly auth cookie (`credentials: "include"`); the SPA never sees the token.
// A 401 from any endpoint other than the auth ones calls the registered handler, which sends the user
// to the login page.

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
  ErrorBody,
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
} from "./types";
import { capitalize } from "../lib/text";

export const API_BASE = "/api";

/** What the user was doing when an error happened; picks the wording of the message. */
export type ErrorContext = "login" | "register" | "upload" | "general";

export class ApiError extends Error {
  readonly status: number;
  readonly detail: ErrorBody["detail"];
  /** Seconds from a Retry-After header (429), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, detail: ErrorBody["detail"], retryAfter: number | null = null) {
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
  return path.startsWith("/auth/");
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

function detailOf(body: unknown): ErrorBody["detail"] {
  if (body && typeof body === "object" && "detail" in body) {
    return (body as ErrorBody).detail;
  }
  return typeof body === "string" && body.length < 300 ? body : undefined;
}

function handleFailure(path: string, status: number, body: unknown, retryAfter: string | null): never {
  if (status === 401) setSessionHint(false);
  if (status === 401 && !isAuthPath(path)) onUnauthorized();
  throw new ApiError(status, detailOf(body), parseRetryAfter(retryAfter));
}

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
}

async function request<T>(path: string, { method = "GET", body, signal }: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      credentials: "include",
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new NetworkError();
  }
  const parsed = parseBody(await response.text());
  if (!response.ok) handleFailure(path, response.status, parsed, response.headers.get("Retry-After"));
  return parsed as T;
}

/** A file's bytes (e.g. a 16-bit PNG to read at full precision). */
async function requestBytes(path: string): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(API_BASE + path, { credentials: "include" });
  } catch {
    throw new NetworkError();
  }
  if (!response.ok) handleFailure(path, response.status, parseBody(await response.text()), response.headers.get("Retry-After"));
  return response.arrayBuffer();
}

/** A result file's API path from its URL (`/api/jobs/…` → `/jobs/…`). */
const apiPath = (url: string) => url.replace(/^\/api(?=\/)/, "");

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

/** Factory for the XHR object; replaced in unit tests. */
export let createXhr = (): XMLHttpRequest => new XMLHttpRequest();
export function setXhrFactory(factory: () => XMLHttpRequest): void {
  createXhr = factory;
}

export function uploadForm<T>(path: string, form: FormData, onProgress?: (p: UploadProgress) => void): UploadHandle<T> {
  const xhr = createXhr();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open("POST", API_BASE + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    let sentSome = false;
    xhr.upload.onprogress = (event: ProgressEvent) => {
      if (event.loaded > 0) sentSome = true;
      if (onProgress) onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
    };
    xhr.onload = () => {
      const body = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as T);
        return;
      }
      try {
        handleFailure(path, xhr.status, body, xhr.getResponseHeader("Retry-After"));
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
    register: (account: NewAccount) => request<User>("/auth/register", { method: "POST", body: account }),
    registration: () => request<Registration>("/auth/registration"),
    login: async (credentials: Credentials) => {
      const user = await request<User>("/auth/login", { method: "POST", body: credentials });
      setSessionHint(true);
      return user;
    },
    logout: async () => {
      setSessionHint(false);
      await request<void>("/auth/logout", { method: "POST" });
    },
    /** The current user, or null when not logged in (without asking when this browser has no session). */
    me: async (): Promise<User | null> => {
      if (!hasSessionHint()) return null;
      try {
        const user = await request<User>("/auth/me");
        setSessionHint(true);
        return user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
  },

  jobs: {
    list: (query: JobListQuery = {}) => request<JobPage>(`/jobs${queryString({ ...query })}`),
    get: (id: string) => request<Job>(`/jobs/${encodeURIComponent(id)}`),
    items: (id: string) => request<JobItems>(`/jobs/${encodeURIComponent(id)}/items`),
    render: (id: string, params: RenderParams) => request<Job>(`/jobs/${encodeURIComponent(id)}/render`, { method: "POST", body: params }),
    cancel: (id: string) => request<Job>(`/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" }),
    remove: (id: string) => request<void>(`/jobs/${encodeURIComponent(id)}`, { method: "DELETE" }),
    /** The footfall figures of a heatmap job's regions (404 when none were set). */
    regions: (id: string) => request<RegionsAnalysis>(`/jobs/${encodeURIComponent(id)}/regions`),
    setRegions: (id: string, regions: Regions) => request<RegionsAnalysis>(`/jobs/${encodeURIComponent(id)}/regions`, { method: "PUT", body: regions }),

    uploadHeatmap: (file: File, params: HeatmapUploadParams, onProgress?: (p: UploadProgress) => void) => {
      const form = new FormData();
      form.append("file", file, file.name);
      appendParams(form, params);
      return uploadForm<Job>("/jobs/heatmap", form, onProgress);
    },
    uploadDepth: (files: File[], params: DepthUploadParams, onProgress?: (p: UploadProgress) => void) => {
      const form = new FormData();
      for (const file of files) form.append("files", file, file.name);
      appendParams(form, params);
      return uploadForm<Job>("/jobs/depth", form, onProgress);
    },

    /** The defaults the server applies to a heatmap upload, read from its OpenAPI schema. */
    heatmapDefaults: async (): Promise<HeatmapDefaults> => {
      const schema = await request<{ components?: { schemas?: Record<string, { properties?: Record<string, { default?: unknown }> }> } }>("/openapi.json");
      const properties = schema.components?.schemas?.HeatmapOptions?.properties ?? {};
      return Object.fromEntries(Object.entries(properties).flatMap(([key, field]) => (field.default === undefined ? [] : [[key, field.default]])));
    },
    /** legend.json of a heatmap job (url from its results). */
    heatmapLegend: (url: string) => request<HeatmapLegend>(apiPath(url)),
    /** stats.json of a heatmap job (url from its results). */
    heatmapStats: (url: string) => request<HeatmapStats>(apiPath(url)),
    /** `<stem>_depth.json` of a depth item (url from its results). */
    depthMetadata: (url: string) => request<DepthMetadata>(apiPath(url)),
    fileBytes: (url: string) => requestBytes(apiPath(url)),

    fileUrl: (id: string, name: string) => `${API_BASE}/jobs/${encodeURIComponent(id)}/files/${encodeURIComponent(name)}`,
    archiveUrl: (id: string) => `${API_BASE}/jobs/${encodeURIComponent(id)}/archive`,
    allArchiveUrl: (kind: JobKind) => `${API_BASE}/jobs/archive${queryString({ kind })}`,
    eventsUrl: () => `${API_BASE}/jobs/events`,
  },

  compare: {
    /** Heatmap jobs `a` and `b` on one scale (computed on a worker: may take a few seconds). */
    get: (a: string, b: string) => request<Comparison>(`/compare${queryString({ a, b })}`),
    imageUrl: (a: string, b: string, view: CompareView) => `${API_BASE}/compare/image${queryString({ a, b, view })}`,
  },

  stats: () => request<Stats>("/stats"),

  tokens: {
    list: () => request<ApiTokens>("/tokens"),
    create: (body: ApiTokenCreate) => request<ApiTokenCreated>("/tokens", { method: "POST", body }),
    revoke: (id: string) => request<void>(`/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
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
export function detailText(detail: ErrorBody["detail"]): string | undefined {
  if (typeof detail === "string") return detail ? sentence(detail) : undefined;
  if (Array.isArray(detail) && detail.length > 0) {
    return detail
      .map((issue: ValidationIssue) => {
        const field = fieldName(issue.loc ?? []);
        const msg = sentence(issue.msg ?? "is not valid");
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
