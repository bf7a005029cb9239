import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { JobOf, RenderParams } from "../../api/types";
import { useRenderHeatmap } from "../../hooks/useJobs";
import { Alert } from "../../components/ui/Alert";
import { findResult } from "../../lib/files";
import { capitalize } from "../../lib/text";
import { HeatmapViewer } from "./HeatmapViewer";
import { HeatOverTime } from "./HeatOverTime";
import { PeoplePerSecondChart } from "./PeoplePerSecondChart";
import { RenderControls } from "./RenderControls";
import { RegionsPanel } from "./regions/RegionsPanel";
import { SummaryFigures } from "./SummaryFigures";

/** A finished heatmap job: the picture, the figures, people per second, and the redraw controls. */
export function HeatmapResult({ job }: { job: JobOf<"heatmap"> }) {
  const [version, setVersion] = useState(job.finished_at ?? job.id);
  const [lastDurationMs, setLastDurationMs] = useState<number | null>(null);
  const render = useRenderHeatmap(job.id);
  const statsFile = findResult(job.results, "stats.json");
  const legendFile = findResult(job.results, "legend.json");
  // Setting or removing a floor calibration redraws heatmap.png and legend.json (per m² or per 100×100 px).
  const calibration = findResult(job.results, "calibration.json");
  const drawnVersion = calibration ? `${version}-floor-${calibration.bytes}` : version;
  const legend = useQuery({
    queryKey: queryKeys.heatmapLegend(job.id, drawnVersion),
    queryFn: () => api.jobs.heatmapLegend(legendFile!.url),
    enabled: !!legendFile,
    staleTime: Infinity,
  });
  const stats = useQuery({
    queryKey: queryKeys.heatmapStats(job.id, version),
    queryFn: () => api.jobs.heatmapStats(statsFile!.url),
    enabled: !!statsFile,
    staleTime: Infinity,
  });

  const onRender = (params: RenderParams) => {
    const started = performance.now();
    render.mutate(params, {
      onSuccess: () => {
        setLastDurationMs(performance.now() - started);
        setVersion(String(Date.now()));
      },
    });
  };

  const perSecond = stats.data?.people_per_second;
  const summary = { ...job.summary, ...(stats.data ?? {}) };
  const sliceS = stats.data?.slice_s;
  const slicesFile = findResult(job.results, "heat_slices.npy");
  const background = findResult(job.results, "background.png");
  const recap = findResult(job.results, "recap.mp4");

  return (
    <>
      {job.summary.truncated && (
        <div className="job-banner">
          <Alert tone="warning" title="Only part of the video could be read">
            {capitalize(job.summary.message ?? "The video is truncated or damaged: only its readable part was processed.")}
          </Alert>
        </div>
      )}
      <div className="result-layout">
        <section className="card result-layout__main" aria-labelledby="heatmap-title">
          <h2 id="heatmap-title" className="section-title">
            Where people spent time
          </h2>
          <HeatmapViewer
            heatmap={findResult(job.results, "heatmap.png")}
            background={background}
            tracks={findResult(job.results, "tracks.png")}
            legend={legend.data}
            version={drawnVersion}
          />
        </section>
        <aside className="result-layout__side">
          <section className="card" aria-labelledby="figures-title">
            <h2 id="figures-title" className="section-title">
              In figures
            </h2>
            <SummaryFigures summary={summary} processingMs={job.processing_ms} />
          </section>
          <section className="card">
            <RenderControls job={job} pending={render.isPending} error={render.error} lastDurationMs={lastDurationMs} onRender={onRender} />
          </section>
        </aside>
        <section className="card result-layout__wide" aria-labelledby="pps-title">
          <h2 id="pps-title" className="section-title">
            People in view, second by second
          </h2>
          {stats.isPending && statsFile ? (
            <p className="muted">Loading…</p>
          ) : Array.isArray(perSecond) ? (
            <PeoplePerSecondChart values={perSecond} peak={summary.people_peak ?? 0} mean={summary.people_mean ?? 0} />
          ) : (
            <p className="muted">{stats.isError ? "The per-second figures could not be loaded." : "No per-second figures in this job."}</p>
          )}
        </section>
        {slicesFile && background && typeof sliceS === "number" && (
          <section className="card result-layout__wide" aria-labelledby="over-time-title">
            <h2 id="over-time-title" className="section-title">
              Heat over time
            </h2>
            <HeatOverTime
              jobId={job.id}
              slicesFile={slicesFile}
              background={background}
              sliceS={sliceS}
              durationS={job.summary.duration_s ?? 0}
              version={version}
            />
            {recap && (
              <video
                className="viewer__image"
                src={recap.url}
                controls
                preload="metadata"
                aria-label="Recap video of the heat building up"
                data-testid="recap-video"
              />
            )}
          </section>
        )}
        <section className="card result-layout__wide" aria-labelledby="regions-title">
          <h2 id="regions-title" className="section-title">
            Footfall: zones and lines
          </h2>
          <RegionsPanel job={job} version={version} />
        </section>
      </div>
    </>
  );
}
