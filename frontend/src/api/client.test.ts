import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, jsonSent, methodOf, pathOf } from "../test/fixtures";
import { AbortedError, ApiError, NetworkError, api, detailText, errorMessage, setUnauthorizedHandler, setXhrFactory, uploadForm } from "./client";

describe("errorMessage", () => {
  it.each([
    [new ApiError(409, "email already registered"), "register", /already exists/],
    [new ApiError(401, "wrong email or password"), "login", /^Wrong email or password\.$/],
    [new ApiError(429, "slow down", 42), "login", /Too many attempts.*42 seconds/],
    [new ApiError(429, "slow down"), "login", /Too many attempts.*in a minute/],
    [new ApiError(429, undefined, 300), "register", /about 5 minutes/],
    [new NetworkError(), "general", /Can't reach the SceneLab server/],
    [new ApiError(413, "the upload is over the 2 GiB limit"), "upload", /^The upload is over the 2 GiB limit\.$/],
    [new ApiError(415, undefined), "upload", /file type isn't supported/],
    [new ApiError(400, "not a decodable video"), "upload", /^Not a decodable video\.$/],
    [new ApiError(503, undefined), "general", /server had a problem \(503\)/],
    [
      new ApiError(503, "the server is busy redrawing other heatmaps: try again in a few seconds", 5),
      "general",
      /^The server is busy redrawing other heatmaps: try again in a few seconds\.$/,
    ],
    [
      new ApiError(429, "more than 30 redraws in a minute: wait a little", 60),
      "general",
      /^More than 30 redraws in a minute: wait a little\. Try again in 60 seconds\.$/,
    ],
    [new ApiError(401, "expired"), "general", /session has ended/],
    [new AbortedError(), "upload", /Upload cancelled/],
  ] as const)("%o in %s", (error, context, expected) => {
    expect(errorMessage(error, context)).toMatch(expected);
  });

  it("turns FastAPI's validation list for a weak password into a sentence", () => {
    const weak = new ApiError(422, [{ loc: ["body", "password"], msg: "Value error, password must be at least 8 characters", type: "value_error" }]);
    expect(errorMessage(weak, "register")).toBe("Password must be at least 8 characters.");
  });

  it("names the field when the message doesn't", () => {
    expect(detailText([{ loc: ["body", "email"], msg: "field required", type: "missing" }])).toBe("Email: Field required.");
    expect(detailText([{ loc: ["body", "email"], msg: "value is not a valid email address", type: "value_error" }])).toBe(
      "Value is not a valid email address.",
    );
    expect(detailText([{ loc: ["query", "sample_fps"], msg: "Input should be greater than 0", type: "greater_than" }])).toBe(
      "Sample fps: Input should be greater than 0.",
    );
  });
});

describe("request", () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    localStorage.setItem("scenelab.session", "1");
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    fetchMock.mockReset();
    localStorage.clear();
    setUnauthorizedHandler(() => {});
  });

  it("sends the cookie and JSON, and returns the parsed body", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { id: "u1", email: "a@b.c", created_at: "x" }));
    await expect(api.auth.login({ email: "a@b.c", password: "pw" })).resolves.toMatchObject({ email: "a@b.c" });
    const [request] = fetchMock.mock.calls[0];
    expect(request).toBeInstanceOf(Request);
    expect(request).toMatchObject({ method: "POST", credentials: "include" });
    expect(pathOf(request)).toBe("/api/auth/login");
    expect(new Headers((request as Request).headers).get("Content-Type")).toBe("application/json");
    expect(await jsonSent(request)).toEqual({ email: "a@b.c", password: "pw" });
  });

  it("puts path parameters in the URL, encoded", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { items: [] }));
    await api.jobs.items("a/b c");
    expect(pathOf(fetchMock.mock.calls[0][0])).toBe("/api/jobs/a%2Fb%20c/items");
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await api.tokens.revoke("t1");
    expect(methodOf(fetchMock.mock.calls[1][0])).toBe("DELETE");
    expect(pathOf(fetchMock.mock.calls[1][0])).toBe("/api/tokens/t1");
  });

  it("reads the webhook secret and rotates it", async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, { secret: "whsec_abc" }));
    await expect(api.auth.webhookSecret()).resolves.toEqual({ secret: "whsec_abc" });
    await expect(api.auth.rotateWebhookSecret()).resolves.toEqual({ secret: "whsec_abc" });
    expect(fetchMock.mock.calls.map(([request]) => `${methodOf(request)} ${pathOf(request)}`)).toEqual([
      "GET /api/auth/webhook-secret",
      "POST /api/auth/webhook-secret",
    ]);
  });

  it("fetches result files by their URL, with the cookie and the same failures", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { unit: "s", colormap: "turbo", colors: [], ticks: [] }));
    await expect(api.jobs.heatmapLegend("/api/jobs/j1/files/legend.json?v=2")).resolves.toMatchObject({ unit: "s" });
    expect(fetchMock).toHaveBeenCalledWith("/api/jobs/j1/files/legend.json?v=2", { credentials: "include" });
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    fetchMock.mockResolvedValue(jsonResponse(401, { detail: "not logged in" }));
    await expect(api.jobs.fileBytes("/api/jobs/j1/files/a_depth16.png")).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledOnce();
  });

  it("reads the heatmap defaults from the OpenAPI document, keeping only values the form can show", async () => {
    const properties = { sample_fps: { default: 2 }, conf: { default: "high" }, colormap: { default: "viridis" }, anchor: { default: "nowhere" }, mode: {} };
    fetchMock.mockResolvedValue(jsonResponse(200, { components: { schemas: { HeatmapOptions: { properties } } } }));
    await expect(api.jobs.heatmapDefaults()).resolves.toEqual({ sample_fps: 2, conf: undefined, colormap: "viridis", anchor: undefined, mode: undefined });
  });

  it("throws ApiError with the server's detail and Retry-After", async () => {
    fetchMock.mockResolvedValue(jsonResponse(429, { detail: "too many attempts" }, { "Retry-After": "30" }));
    const error = await api.auth.login({ email: "a@b.c", password: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, detail: "too many attempts", retryAfter: 30 });
  });

  it("calls the unauthorized handler on a 401 outside /auth, not on a failed login", async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    fetchMock.mockResolvedValue(jsonResponse(401, { detail: "wrong email or password" }));
    await expect(api.auth.login({ email: "a@b.c", password: "x" })).rejects.toBeInstanceOf(ApiError);
    expect(handler).not.toHaveBeenCalled();
    fetchMock.mockResolvedValue(jsonResponse(401, { detail: "not logged in" }));
    await expect(api.jobs.list()).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledOnce();
  });

  it("maps a failed fetch to NetworkError", async () => {
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    await expect(api.stats()).rejects.toBeInstanceOf(NetworkError);
  });

  it("builds list queries with limit and offset, leaving out empty filters", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { items: [], total: 0, next: null }));
    await api.jobs.list({ kind: "depth", status: undefined, limit: 10, offset: 20 });
    expect(pathOf(fetchMock.mock.calls[0][0])).toBe("/api/jobs?kind=depth&limit=10&offset=20");
  });

  it("me() is null on 401, and doesn't ask at all when this browser never logged in", async () => {
    fetchMock.mockResolvedValue(jsonResponse(401, { detail: "not logged in" }));
    await expect(api.auth.me()).resolves.toBeNull();
    expect(fetchMock).toHaveBeenCalledOnce();
    // The 401 cleared the hint: the next call makes no request.
    await expect(api.auth.me()).resolves.toBeNull();
    expect(fetchMock).toHaveBeenCalledOnce();
  });
});

/** A stand-in for XMLHttpRequest that the test drives by hand. */
class FakeXhr {
  static last: FakeXhr;
  upload: { onprogress: ((e: Partial<ProgressEvent>) => void) | null } = { onprogress: null };
  fireProgress(event: Partial<ProgressEvent>) {
    this.upload.onprogress?.(event);
  }
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = "";
  withCredentials = false;
  method = "";
  url = "";
  headers: Record<string, string> = {};
  sent: unknown;
  responseHeaders: Record<string, string> = {};
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name] ?? null;
  }
  send(body: unknown) {
    this.sent = body;
  }
  abort() {
    this.onabort?.();
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe("uploadForm", () => {
  beforeEach(() => setXhrFactory(() => new FakeXhr() as unknown as XMLHttpRequest));

  it("reports progress, sends the cookie and resolves with the job", async () => {
    const progress = vi.fn();
    const form = new FormData();
    const handle = uploadForm("/api/jobs/heatmap", form, progress);
    const xhr = FakeXhr.last;
    expect(xhr).toMatchObject({ method: "POST", url: "/api/jobs/heatmap", withCredentials: true, sent: form });
    xhr.fireProgress({ loaded: 50, total: 200, lengthComputable: true });
    expect(progress).toHaveBeenCalledWith({ loaded: 50, total: 200 });
    xhr.respond(202, { id: "j1", status: "queued" });
    await expect(handle.promise).resolves.toEqual({ id: "j1", status: "queued" });
  });

  it("rejects with the server's 4xx detail", async () => {
    const handle = uploadForm("/api/jobs/heatmap", new FormData());
    FakeXhr.last.respond(415, { detail: "unsupported file type" });
    const error = await handle.promise.catch((e: unknown) => e);
    expect(errorMessage(error, "upload")).toBe("Unsupported file type.");
  });

  it("says the upload was interrupted when the connection breaks after bytes were sent", async () => {
    const handle = uploadForm("/api/jobs/heatmap", new FormData());
    const xhr = FakeXhr.last;
    xhr.fireProgress({ loaded: 1000, total: 5000, lengthComputable: true });
    xhr.onerror?.();
    expect(errorMessage(await handle.promise.catch((e: unknown) => e), "upload")).toMatch(/upload was interrupted/);
    const offline = uploadForm("/api/jobs/heatmap", new FormData());
    FakeXhr.last.onerror?.();
    expect(errorMessage(await offline.promise.catch((e: unknown) => e), "upload")).toMatch(/Can't reach/);
  });

  it("reads the Retry-After of the server's 429 at the active-job limit, and words the wait", async () => {
    const handle = uploadForm("/api/jobs/depth", new FormData());
    FakeXhr.last.responseHeaders = { "Retry-After": "30" };
    FakeXhr.last.respond(429, { detail: "you have 3 jobs queued or running, the most allowed at once: wait for one to finish" });
    const error = await handle.promise.catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, retryAfter: 30 });
    expect(errorMessage(error, "upload")).toBe("You have 3 jobs queued or running, the most allowed at once: wait for one to finish. Try again in 30 seconds.");
  });

  it("rejects with AbortedError when cancelled", async () => {
    const handle = uploadForm("/api/jobs/depth", new FormData());
    handle.abort();
    await expect(handle.promise).rejects.toBeInstanceOf(AbortedError);
  });

  it("sends each depth file under `files` with the params", () => {
    const a = new File(["a"], "a.jpg");
    const b = new File(["b"], "b.zip");
    api.jobs.uploadDepth([a, b], { colormap: "viridis" });
    const form = FakeXhr.last.sent as FormData;
    expect((form.getAll("files") as File[]).map((f) => f.name)).toEqual(["a.jpg", "b.zip"]);
    expect(form.get("colormap")).toBe("viridis");
  });
});
