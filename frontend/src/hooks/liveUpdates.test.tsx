import { act, render, screen } from "@testing-library/react";
import { QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { queryKeys } from "../api/queryKeys";
import type { Job, JobPage, JobStatus } from "../api/types";
import { makeJob } from "../test/fixtures";
import { testQueryClient } from "../test/render";
import { applyJobEvent, LiveUpdatesProvider, parseJobEvent, useLiveMode } from "./liveUpdates";

describe("parseJobEvent", () => {
  it("accepts a Job, a {job} wrapper, and ignores keep-alives and junk", () => {
    expect(parseJobEvent(JSON.stringify({ id: "a", status: "running", progress: 0.5 }))).toMatchObject({ id: "a", progress: 0.5 });
    expect(parseJobEvent(JSON.stringify({ job: { id: "b", status: "queued", progress: 0 } }))).toMatchObject({ id: "b" });
    expect(parseJobEvent("")).toBeNull();
    expect(parseJobEvent("ping")).toBeNull();
    expect(parseJobEvent(JSON.stringify({ hello: 1 }))).toBeNull();
  });
});

describe("applyJobEvent", () => {
  it("patches the job and every cached list page; refreshes lists only on a status change", () => {
    const client = testQueryClient();
    const job = makeJob({ id: "j1", status: "running", progress: 0.1 });
    const page: JobPage = { items: [job, makeJob({ id: "j2" })], total: 2, next: null };
    client.setQueryData(queryKeys.job("j1"), job);
    client.setQueryData(queryKeys.jobs({ limit: 10, offset: 0 }), page);
    const invalidate = vi.spyOn(client, "invalidateQueries");
    const seen = new Map<string, JobStatus>();

    expect(applyJobEvent(client, { id: "j1", status: "running", progress: 0.6 }, seen)).toBe(false);
    expect(client.getQueryData<Job>(queryKeys.job("j1"))?.progress).toBe(0.6);
    expect(client.getQueryData<JobPage>(queryKeys.jobs({ limit: 10, offset: 0 }))?.items[0].progress).toBe(0.6);
    expect(invalidate).not.toHaveBeenCalled();

    expect(applyJobEvent(client, { id: "j1", status: "succeeded", progress: 1 }, seen)).toBe(true);
    expect(client.getQueryData<Job>(queryKeys.job("j1"))?.status).toBe("succeeded");
    expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.jobsAll });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.stats });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.job("j1") });
  });
});

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: (() => void) | null = null;
  listeners: Record<string, (e: MessageEvent) => void> = {};
  closed = false;
  constructor(
    public url: string,
    public init?: EventSourceInit,
  ) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.listeners[type] = fn;
  }
  close() {
    this.closed = true;
  }
}

function ShowMode() {
  return <p>mode: {useLiveMode()}</p>;
}

describe("LiveUpdatesProvider", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    FakeEventSource.instances = [];
  });

  it("listens to /api/jobs/events with the cookie, applies `job` events, falls back to polling on error and retries", () => {
    vi.useFakeTimers();
    vi.stubGlobal("EventSource", FakeEventSource);
    const client = testQueryClient();
    client.setQueryData(queryKeys.job("j1"), makeJob({ id: "j1", status: "running", progress: 0 }));
    render(
      <QueryClientProvider client={client}>
        <LiveUpdatesProvider>
          <ShowMode />
        </LiveUpdatesProvider>
      </QueryClientProvider>,
    );
    const source = FakeEventSource.instances[0];
    expect(source.url).toBe("/api/jobs/events");
    expect(source.init).toEqual({ withCredentials: true });
    expect(screen.getByText("mode: connecting")).toBeInTheDocument();

    act(() => source.onopen?.());
    expect(screen.getByText("mode: live")).toBeInTheDocument();
    act(() => source.listeners.job(new MessageEvent("job", { data: JSON.stringify({ id: "j1", status: "running", progress: 0.42 }) })));
    expect(client.getQueryData<Job>(queryKeys.job("j1"))?.progress).toBe(0.42);

    act(() => source.onerror?.());
    expect(source.closed).toBe(true);
    expect(screen.getByText("mode: polling")).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(15_000));
    expect(FakeEventSource.instances).toHaveLength(2);
  });
});
