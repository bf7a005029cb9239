import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { queryKeys } from "../api/queryKeys";
import { isFinished, type Job, type JobListQuery, type RenderParams, type Stats } from "../api/types";
import { useActiveRefetchMs } from "./liveUpdates";

export function useJobList(query: JobListQuery) {
  const activeMs = useActiveRefetchMs();
  return useQuery({
    queryKey: queryKeys.jobs(query),
    queryFn: () => api.jobs.list(query),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((job) => !isFinished(job.status)) ? activeMs : false),
  });
}

export function useJob(id: string) {
  const activeMs = useActiveRefetchMs();
  return useQuery({
    queryKey: queryKeys.job(id),
    queryFn: () => api.jobs.get(id),
    refetchInterval: (q) => (q.state.data && !isFinished(q.state.data.status) ? activeMs : false),
  });
}

/** A depth job's items, read again whenever the job reports another image done. */
export function useJobItems(job: Job) {
  return useQuery({
    queryKey: [...queryKeys.jobItems(job.id), job.status, job.items_done, job.items_failed],
    queryFn: () => api.jobs.items(job.id),
    placeholderData: keepPreviousData,
  });
}

export function useStats() {
  const activeMs = useActiveRefetchMs();
  return useQuery({
    queryKey: queryKeys.stats,
    queryFn: api.stats,
    refetchInterval: (q) => {
      const stats: Stats | undefined = q.state.data;
      return stats && stats.queued + stats.running > 0 ? activeMs : false;
    },
  });
}

function useAfterJobChange() {
  const queryClient = useQueryClient();
  return (job?: Job) => {
    if (job) queryClient.setQueryData(queryKeys.job(job.id), job);
    void queryClient.invalidateQueries({ queryKey: queryKeys.jobsAll });
    void queryClient.invalidateQueries({ queryKey: queryKeys.stats });
  };
}

export function useCancelJob() {
  const afterChange = useAfterJobChange();
  return useMutation({
    mutationFn: (id: string) => api.jobs.cancel(id),
    onSuccess: (job) => afterChange(job),
    onError: () => afterChange(),
  });
}

export function useDeleteJob() {
  const queryClient = useQueryClient();
  const afterChange = useAfterJobChange();
  return useMutation({
    mutationFn: (id: string) => api.jobs.remove(id),
    onSuccess: (_, id) => {
      // Not removed from the cache: a page still showing it would refetch and flash a 404.
      void queryClient.cancelQueries({ queryKey: queryKeys.job(id) });
      afterChange();
    },
  });
}

export function useRenderHeatmap(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (params: RenderParams) => api.jobs.render(id, params),
    onSuccess: (job) => {
      queryClient.setQueryData(queryKeys.job(id), job);
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobsAll });
    },
  });
}
