// TanStack Query keys, in one place so that invalidation after a mutation or an event stays consistent.
import type { JobListQuery } from "./types";

export const queryKeys = {
  me: ["me"] as const,
  registration: ["registration"] as const,
  jobsAll: ["jobs"] as const,
  jobs: (query: JobListQuery) => ["jobs", query] as const,
  job: (id: string) => ["job", id] as const,
  jobItems: (id: string) => ["job", id, "items"] as const,
  heatmapStats: (id: string, version: string) => ["job", id, "stats.json", version] as const,
  heatSlices: (id: string, version: string) => ["job", id, "heat_slices.npy", version] as const,
  heatmapLegend: (id: string, version: string) => ["job", id, "legend.json", version] as const,
  regions: (id: string) => ["job", id, "regions"] as const,
  comparison: (a: string, b: string) => ["compare", a, b] as const,
  depthValues: (metadataUrl: string, png16Url: string) => ["depth-values", metadataUrl, png16Url] as const,
  stats: ["stats"] as const,
  heatmapDefaults: ["heatmap-defaults"] as const,
  tokens: ["tokens"] as const,
  webhookSecret: ["webhook-secret"] as const,
};
