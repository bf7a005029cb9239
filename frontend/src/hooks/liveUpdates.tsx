// Live job updates: server-sent events from /api/jobs/events patch the cached jobs in place.
// When the event stream fails, pages fall back to polling every 2 s (see `useRefetchInterval`) and
// the stream is retried every 15 s.

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { api } from "../api/client";
import { queryKeys } from "../api/queryKeys";
import { isFinished, type Job, type JobEvent, type JobPage, type JobStatus } from "../api/types";

export type LiveMode = "connecting" | "live" | "polling";

const LiveModeContext = createContext<LiveMode>("polling");

export const POLL_INTERVAL_MS = 2000;
const RECONNECT_MS = 15_000;
/** Even with a live stream, re-read active jobs now and then in case an event was lost. */
const SAFETY_REFRESH_MS = 15_000;

/** Parse one event's data; null for keep-alives and anything that isn't a job update. */
export function parseJobEvent(data: unknown): JobEvent | null {
  if (typeof data !== "string" || !data.trim()) return null;
  try {
    const value = JSON.parse(data) as unknown;
    const job = value && typeof value === "object" && "job" in value ? (value as { job: unknown }).job : value;
    if (job && typeof job === "object" && typeof (job as JobEvent).id === "string" && typeof (job as JobEvent).status === "string") {
      return job as JobEvent;
    }
  } catch {
    /* not JSON: a comment or keep-alive */
  }
  return null;
}

/**
 * Merge one event into every cached view of the job. Returns true when the job's status changed (or
 * the job is new to us), so that lists and counts need a fresh read.
 */
export function applyJobEvent(queryClient: QueryClient, event: JobEvent, lastStatus: Map<string, JobStatus>): boolean {
  const merge = (job: Job): Job => ({ ...job, ...event, progress: event.progress ?? job.progress });
  const cached = queryClient.getQueryData<Job>(queryKeys.job(event.id));
  if (cached) queryClient.setQueryData(queryKeys.job(event.id), merge(cached));

  queryClient.setQueriesData<JobPage>({ queryKey: queryKeys.jobsAll }, (page) => {
    if (!page || !page.items.some((job) => job.id === event.id)) return page;
    return { ...page, items: page.items.map((job) => (job.id === event.id ? merge(job) : job)) };
  });

  const before = lastStatus.get(event.id) ?? cached?.status;
  lastStatus.set(event.id, event.status);
  const changed = before !== event.status;
  if (changed) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.jobsAll });
    void queryClient.invalidateQueries({ queryKey: queryKeys.stats });
    // A finished job gains its results; read the whole job (and its items) again.
    if (isFinished(event.status)) void queryClient.invalidateQueries({ queryKey: queryKeys.job(event.id) });
  }
  return changed;
}

export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<LiveMode>(typeof EventSource === "undefined" ? "polling" : "connecting");
  const lastStatus = useRef(new Map<string, JobStatus>());

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failedBefore = false;
    let stopped = false;

    const onMessage = (message: MessageEvent) => {
      const event = parseJobEvent(message.data);
      if (event) applyJobEvent(queryClient, event, lastStatus.current);
    };

    const connect = () => {
      if (stopped) return;
      source = new EventSource(api.jobs.eventsUrl(), { withCredentials: true });
      source.onopen = () => {
        setMode("live");
        // Catch up on whatever changed while we were not listening.
        if (failedBefore) void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "me" });
      };
      source.onmessage = onMessage;
      source.addEventListener("job", onMessage as EventListener);
      source.onerror = () => {
        source?.close();
        source = null;
        failedBefore = true;
        setMode("polling");
        retryTimer = setTimeout(connect, RECONNECT_MS);
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(retryTimer);
    };
  }, [queryClient]);

  return <LiveModeContext.Provider value={mode}>{children}</LiveModeContext.Provider>;
}

export function useLiveMode(): LiveMode {
  return useContext(LiveModeContext);
}

/** How often a query showing active jobs re-reads them: 2 s while polling, rarely with a live stream. */
export function useActiveRefetchMs(): number {
  return useLiveMode() === "live" ? SAFETY_REFRESH_MS : POLL_INTERVAL_MS;
}
