import { afterEach, beforeEach, vi, type Mock } from "vitest";
import { setXhrFactory } from "../api/client";
import type { Job, JobKind, JobOf } from "../api/types";

type JobOverrides<K extends JobKind> = Partial<Omit<Job, "kind" | "params">> & { kind?: K; params?: Partial<JobOf<K>["params"]> };

/** A succeeded heatmap job unless told otherwise; a test names only the fields and options it looks at. */
export function makeJob<K extends JobKind = "heatmap">(overrides: JobOverrides<K> = {}): JobOf<K> {
  return {
    id: "11111111-1111-1111-1111-111111111111",
    kind: "heatmap",
    status: "succeeded",
    progress: 1,
    stage: null,
    eta_s: null,
    created_at: "2026-01-02T10:00:00Z",
    started_at: "2026-01-02T10:00:01Z",
    finished_at: "2026-01-02T10:00:11Z",
    processing_ms: 10_000,
    error: null,
    input_name: "lobby.mp4",
    params: {},
    summary: {},
    items_total: 0,
    items_done: 0,
    items_failed: 0,
    results: [],
    webhook_url: null,
    webhook_deliveries: [],
    ...overrides,
  } as JobOf<K>;
}

export function jsonResponse(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** The path and query a fetch call went to: the API client passes a Request, result files go by their URL. */
export function pathOf(input: RequestInfo | URL): string {
  const url = new URL(input instanceof Request ? input.url : String(input), "http://localhost");
  return url.pathname + url.search;
}

/** A fetch call's method. */
export function methodOf(input: RequestInfo | URL, init?: RequestInit): string {
  return input instanceof Request ? input.method : (init?.method ?? "GET");
}

/** Where each call of a fetch mock went: method, path with query, and whether it sent the cookie. */
export function requestsOf(fetchMock: Mock<typeof fetch>): { method: string; path: string; credentials: RequestCredentials | undefined }[] {
  return fetchMock.mock.calls.map(([input, init]) => ({
    method: methodOf(input, init),
    path: pathOf(input),
    credentials: input instanceof Request ? input.credentials : init?.credentials,
  }));
}

/** The JSON body a fetch call sent (read from a copy: the call's Request stays readable). */
export async function jsonSent(input: RequestInfo | URL, init?: RequestInit): Promise<unknown> {
  return JSON.parse(input instanceof Request ? await input.clone().text() : String(init?.body));
}

/**
 * A `fetch` mock installed before each test of the calling `describe` (server-sent events off, so pages
 * poll), removed after it with the local storage cleared. Call it at the top of a `describe`.
 */
export function installFetchMock() {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    vi.stubGlobal("EventSource", undefined);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    fetchMock.mockReset();
    localStorage.clear();
  });
  return fetchMock;
}

/**
 * Uploads kept instead of sent: before each test of the calling `describe`, an XMLHttpRequest stand-in that
 * records the form and never answers. Call it at the top of a `describe`; `last()` is the last form sent.
 */
export function recordUploads(): { last: () => FormData | null } {
  let sent: FormData | null = null;
  class RecordingXhr {
    upload = { onprogress: null };
    withCredentials = false;
    open() {}
    setRequestHeader() {}
    send(body: FormData) {
      sent = body;
    }
    abort() {}
  }
  beforeEach(() => {
    sent = null;
    setXhrFactory(() => new RecordingXhr() as unknown as XMLHttpRequest);
  });
  afterEach(() => setXhrFactory(() => new XMLHttpRequest()));
  return { last: () => sent };
}

/** The bytes `np.save` writes for a float32 array (format 1.0, header padded to a multiple of 64). */
export function npyBytes(shape: number[], values: number[], descr = "<f4"): ArrayBuffer {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const padded = dict.padEnd(Math.ceil((10 + dict.length + 1) / 64) * 64 - 10 - 1, " ") + "\n";
  const out = new Uint8Array(10 + padded.length + 4 * values.length);
  out.set([0x93, ..."NUMPY".split("").map((c) => c.charCodeAt(0)), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), 10);
  new Float32Array(out.buffer, 10 + padded.length).set(values);
  return out.buffer;
}
