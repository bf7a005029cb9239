import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { AbortedError, type UploadHandle, type UploadProgress } from "../api/client";
import { queryKeys } from "../api/queryKeys";
import type { Job } from "../api/types";

export type UploadState =
  | { phase: "idle" }
  | { phase: "uploading"; loaded: number; total: number; startedAt: number; now: number }
  | { phase: "processing"; total: number; startedAt: number; now: number }
  | { phase: "done"; job: Job }
  | { phase: "cancelled" }
  | { phase: "error"; error: unknown };

type Starter = (onProgress: (p: UploadProgress) => void) => UploadHandle<Job>;

/**
 * One upload at a time with progress, cancel and the server's answer. "processing" is the moment
 * between the last byte sent and the server's 202 (it checks the file before answering).
 */
export function useUpload() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<UploadState>({ phase: "idle" });
  const handle = useRef<UploadHandle<Job> | null>(null);

  useEffect(() => () => handle.current?.abort(), []);

  const start = useCallback(
    async (starter: Starter, totalHint: number): Promise<Job | null> => {
      const startedAt = performance.now();
      setState({ phase: "uploading", loaded: 0, total: totalHint, startedAt, now: startedAt });
      const current = starter(({ loaded, total }) => {
        const now = performance.now();
        const size = total || totalHint;
        setState(
          loaded >= size && size > 0 ? { phase: "processing", total: size, startedAt, now } : { phase: "uploading", loaded, total: size, startedAt, now },
        );
      });
      handle.current = current;
      try {
        const job = await current.promise;
        setState({ phase: "done", job });
        queryClient.setQueryData(queryKeys.job(job.id), job);
        void queryClient.invalidateQueries({ queryKey: queryKeys.jobsAll });
        void queryClient.invalidateQueries({ queryKey: queryKeys.stats });
        return job;
      } catch (error) {
        setState(error instanceof AbortedError ? { phase: "cancelled" } : { phase: "error", error });
        return null;
      } finally {
        if (handle.current === current) handle.current = null;
      }
    },
    [queryClient],
  );

  const cancel = useCallback(() => handle.current?.abort(), []);
  const reset = useCallback(() => setState({ phase: "idle" }), []);

  return { state, start, cancel, reset, busy: state.phase === "uploading" || state.phase === "processing" };
}
