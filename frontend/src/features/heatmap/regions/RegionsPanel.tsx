import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { api, errorMessage } from "../../../api/client";
import { queryKeys } from "../../../api/queryKeys";
import type { Job, RegionsAnalysis } from "../../../api/types";
import { Alert } from "../../../components/ui/Alert";
import { SegmentedControl } from "../../../components/ui/SegmentedControl";
import { findResult, withVersion } from "../../../lib/files";
import { useJobList } from "../../../hooks/useJobs";
import { RegionCanvas } from "./RegionCanvas";
import { RegionFigures } from "./RegionFigures";
import "./regions.css";
import {
  MAX_SHAPES,
  addShape,
  canFinish,
  defaultShape,
  flipLine,
  fromRegions,
  insertVertex,
  nextName,
  problems,
  removeShape,
  renameShape,
  toRegions,
  type Draft,
  type Frame,
  type Point,
  type Selection,
  type Shape,
  type ShapeKind,
} from "./editor";

type Backdrop = "background" | "heatmap";

/** Whether the job's regions were set: its results then hold regions.json (so no 404 is ever asked for). */
const hasRegions = (job: Job) => !!findResult(job.results, "regions.json");

/** The analysis of a job's regions, or null when none were set. */
function useRegions(job: Job) {
  return useQuery({
    queryKey: queryKeys.regions(job.id),
    queryFn: (): Promise<RegionsAnalysis | null> => (hasRegions(job) ? api.jobs.regions(job.id) : Promise.resolve(null)),
    staleTime: Infinity,
  });
}

/** Footfall: draw zones and lines on the frame, measure them, and read the figures. */
export function RegionsPanel({ job, version }: { job: Job; version: string }) {
  const { width, height } = job.summary;
  if (!width || !height) return <p className="muted">This job does not say its frame size, so zones cannot be drawn.</p>;
  return <RegionsEditor job={job} version={version} frame={{ width, height }} />;
}

function RegionsEditor({ job, version, frame }: { job: Job; version: string; frame: Frame }) {
  const queryClient = useQueryClient();
  const stored = useRegions(job);
  const [shapes, setShapes] = useState<Shape[] | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [backdrop, setBackdrop] = useState<Backdrop>("background");
  const [copyNote, setCopyNote] = useState<string | null>(null);
  const backdropName = useId();
  const copyId = useId();
  const measureWhyId = useId();

  useEffect(() => {
    if (shapes === null && stored.data !== undefined) setShapes(stored.data ? fromRegions(stored.data) : []);
  }, [shapes, stored.data]);

  const measure = useMutation({
    mutationFn: (current: Shape[]) => api.jobs.setRegions(job.id, toRegions(current)),
    onSuccess: (analysis) => {
      queryClient.setQueryData(queryKeys.regions(job.id), analysis);
      void queryClient.invalidateQueries({ queryKey: queryKeys.job(job.id), exact: true }); // the CSVs join its results
    },
  });

  const sameFrame = useJobList({ kind: "heatmap", status: "succeeded", limit: 100 }).data?.items.filter(
    (other) => other.id !== job.id && hasRegions(other) && other.summary.width === frame.width && other.summary.height === frame.height,
  );

  const current = shapes ?? [];
  const issues = problems(current);
  const background = findResult(job.results, "background.png");
  const heatmap = findResult(job.results, "heatmap.png");
  const image = backdrop === "heatmap" ? heatmap : background;
  const analysis = measure.data ?? stored.data ?? null;
  const csvFiles = ["zones.csv", "lines.csv"].map((name) => findResult(job.results, name)).filter((f) => f !== undefined);
  // Why Measure cannot run now, said beside it (the list below details the problems).
  const measureBlocked = draft
    ? `Finish or cancel the ${draft.kind} you are drawing first.`
    : current.length === 0
      ? "Draw a zone or a line first."
      : issues.length > 0
        ? "Fix the problems listed below first."
        : null;
  const full = (kind: ShapeKind) => current.filter((s) => s.kind === kind).length >= MAX_SHAPES;

  const change = (next: Shape[]) => setShapes(next);
  const startDrawing = (kind: ShapeKind) => {
    setSelection(null);
    setDraft({ kind, points: [] });
  };
  const finishDrawing = (points: Point[]) => {
    if (!draft) return;
    change(addShape(current, { kind: draft.kind, name: nextName(current, draft.kind), points }));
    setSelection({ shape: current.length, vertex: null });
    setDraft(null);
  };
  const copyFrom = async (otherId: string) => {
    setCopyNote(null);
    try {
      const other = await api.jobs.regions(otherId);
      change(fromRegions(other));
      setCopyNote(`Copied ${other.zones.length} zone(s) and ${other.lines.length} line(s). Press Measure to apply them here.`);
    } catch (error) {
      setCopyNote(errorMessage(error));
    }
  };

  return (
    <div className="regions">
      <div className="regions__toolbar" role="toolbar" aria-label="Zones and lines">
        <button type="button" className="button button--secondary button--small" onClick={() => startDrawing("zone")} disabled={!!draft || full("zone")}>
          Draw a zone (click corners)
        </button>
        <button type="button" className="button button--secondary button--small" onClick={() => startDrawing("line")} disabled={!!draft || full("line")}>
          Draw a line (2 clicks)
        </button>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => change(addShape(current, defaultShape(current, "zone", frame)))}
          disabled={!!draft || full("zone")}
        >
          Add a sample zone
        </button>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => change(addShape(current, defaultShape(current, "line", frame)))}
          disabled={!!draft || full("line")}
        >
          Add a sample line
        </button>
        {draft && (
          <>
            <button type="button" className="button button--primary button--small" onClick={() => finishDrawing(draft.points)} disabled={!canFinish(draft)}>
              Finish {draft.kind}
            </button>
            <button type="button" className="button button--ghost button--small" onClick={() => setDraft(null)}>
              Cancel drawing
            </button>
          </>
        )}
        {heatmap && background && (
          <SegmentedControl
            legend="Picture under the zones"
            name={backdropName}
            options={[
              ["background", "Scene"],
              ["heatmap", "Heatmap"],
            ]}
            value={backdrop}
            onChange={setBackdrop}
          />
        )}
      </div>
      {draft && (
        <p className="muted small" role="status">
          {draft.kind === "zone"
            ? "Click or tap each corner; close the zone on its first corner, or press Finish (Enter). Escape cancels."
            : "Click or tap the line's two ends. Its arrow points to the side it counts as “in”."}
        </p>
      )}

      {current.length === 0 && !draft && (
        <p className="muted small regions__empty">
          No zones or lines yet. Draw a zone around a place to count who stays there, or a line across a path to count who crosses it (or add a sample and drag
          it into place).
        </p>
      )}
      <RegionCanvas
        frame={frame}
        imageUrl={image ? withVersion(image.url, version) : undefined}
        shapes={current}
        onShapesChange={change}
        selection={selection}
        onSelect={setSelection}
        draft={draft}
        onDraftChange={setDraft}
        onDraftDone={finishDrawing}
      />

      {current.length > 0 && (
        <ul className="regions__list">
          {current.map((shape, index) => (
            <li key={index} className={selection?.shape === index ? "regions__item regions__item--selected" : "regions__item"}>
              <span className={`kind-tag regions__kind regions__kind--${shape.kind}`}>{shape.kind}</span>
              <input
                type="text"
                className="regions__name"
                aria-label={`Name of ${shape.kind} ${index + 1}`}
                value={shape.name}
                maxLength={64}
                onChange={(e) => change(renameShape(current, index, e.target.value))}
                onFocus={() => setSelection({ shape: index, vertex: null })}
              />
              {shape.kind === "line" && (
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={() => change(flipLine(current, index))}
                  aria-label={`Flip direction of ${shape.name}`}
                >
                  Flip direction
                </button>
              )}
              {shape.kind === "zone" && (
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={() =>
                    change(insertVertex(current, index, selection?.shape === index && selection.vertex !== null ? selection.vertex : shape.points.length - 1))
                  }
                >
                  Add point
                </button>
              )}
              <button
                type="button"
                className="button button--danger-ghost button--small"
                aria-label={`Delete ${shape.kind} ${shape.name}`}
                onClick={() => {
                  change(removeShape(current, index));
                  setSelection(null);
                }}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}

      <div className="regions__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => measure.mutate(current)}
          disabled={!!measureBlocked || measure.isPending}
          aria-describedby={measureBlocked ? measureWhyId : undefined}
        >
          {measure.isPending ? "Measuring…" : "Measure"}
        </button>
        {measureBlocked && (
          <span id={measureWhyId} className="muted small">
            {measureBlocked}
          </span>
        )}
        {sameFrame && sameFrame.length > 0 && (
          <div className="inline-field">
            <label htmlFor={copyId}>Copy zones from</label>
            <select
              id={copyId}
              value=""
              onChange={(e) => {
                if (e.target.value) void copyFrom(e.target.value);
              }}
            >
              <option value="">
                another {frame.width}×{frame.height} job…
              </option>
              {sameFrame.map((other) => (
                <option key={other.id} value={other.id}>
                  {other.input_name} ({new Date(other.created_at).toLocaleDateString()})
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {current.length > 0 && issues.length > 0 && !draft && (
        <ul className="field-error regions__issues">
          {issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      )}
      {copyNote && <p className="muted small">{copyNote}</p>}
      {measure.isError && <Alert tone="error">{errorMessage(measure.error)}</Alert>}
      {stored.isError && <Alert tone="error">The zones could not be loaded: {errorMessage(stored.error)}</Alert>}

      {analysis && <RegionFigures analysis={analysis} csvFiles={csvFiles} />}
    </div>
  );
}
