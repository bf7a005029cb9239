import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "../../api/client";
import { HEATMAP_ANCHORS, HEATMAP_COLORMAPS, NORMALIZATIONS, type JobOf, type RenderParams } from "../../api/types";
import { formatDuration } from "../../lib/format";
import { Alert } from "../../components/ui/Alert";
import { EnumSelect } from "../../components/ui/EnumSelect";
import { Field } from "../../components/ui/Field";
import { ANCHOR_LABELS, HEAT_SCALING_LABELS } from "../../lib/optionText";

interface Props {
  job: JobOf<"heatmap">;
  pending: boolean;
  error: unknown;
  /** How long the last redraw took, in ms. */
  lastDurationMs: number | null;
  onRender: (params: RenderParams) => void;
}

/** Jobs stored before an option existed have no value for it: the empty choice keeps what was drawn. */
const asProcessed = (value: string) => (value === "" ? "As processed" : undefined);

interface FormValues {
  colormap: string;
  radius: string;
  anchor: string;
  mode: string;
  t_start: string;
  t_end: string;
  normalization: string;
  opacity: string;
}

const text = (value: unknown): string => (value === null || value === undefined ? "" : String(value));

function initialValues(params: JobOf<"heatmap">["params"]): FormValues {
  return {
    colormap: text(params.colormap),
    radius: text(params.radius),
    anchor: text(params.anchor),
    mode: text(params.mode),
    t_start: text(params.t_start),
    t_end: text(params.t_end),
    normalization: text(params.normalization),
    opacity: text(params.opacity ?? 0.6),
  };
}

/** Only what the user changed, typed as the API wants it. */
export function changedRenderParams(before: FormValues, after: FormValues): RenderParams {
  const params: RenderParams = {};
  const changed = (key: keyof FormValues) => after[key] !== before[key] && after[key] !== "";
  if (changed("colormap")) params.colormap = after.colormap as RenderParams["colormap"];
  if (changed("anchor")) params.anchor = after.anchor as RenderParams["anchor"];
  if (changed("mode")) params.mode = after.mode as RenderParams["mode"];
  if (changed("normalization")) params.normalization = after.normalization as RenderParams["normalization"];
  if (changed("radius")) params.radius = Number(after.radius);
  if (changed("opacity")) params.opacity = Number(after.opacity);
  // The time window goes as a pair so that the server never sees half of a change.
  if (after.t_start !== before.t_start || after.t_end !== before.t_end) {
    if (after.t_start !== "") params.t_start = Number(after.t_start);
    if (after.t_end !== "") params.t_end = Number(after.t_end);
  }
  return params;
}

/** Redraw the heatmap from the stored tracks: colours, splat radius, anchor, time window, scaling. */
export function RenderControls({ job, pending, error, lastDurationMs, onRender }: Props) {
  const baseline = initialValues(job.params);
  const [values, setValues] = useState<FormValues>(baseline);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const duration = job.summary.duration_s;
  const normalizations = Array.from(new Set([...NORMALIZATIONS, ...(baseline.normalization ? [baseline.normalization] : [])]));
  const colormaps = Array.from(new Set([...HEATMAP_COLORMAPS, ...(baseline.colormap ? [baseline.colormap] : [])]));
  const params = changedRenderParams(baseline, values);
  const nothingChanged = Object.keys(params).length === 0;

  const set = (key: keyof FormValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const setFrom = (key: keyof FormValues) => (event: { target: { value: string } }) => set(key)(event.target.value);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const start = values.t_start === "" ? 0 : Number(values.t_start);
    const end = values.t_end === "" ? (duration ?? Infinity) : Number(values.t_end);
    if (start >= end) {
      setProblem("The time window must start before it ends.");
      return;
    }
    setProblem(null);
    onRender(params);
  };

  return (
    <form className="render-controls" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="section-title">
        Redraw
      </h3>
      <p className="muted small">Uses the stored detections: no video is processed again.</p>
      <div className="form-grid">
        <Field id={`${id}-colormap`} label="Colours">
          <EnumSelect id={`${id}-colormap`} value={values.colormap} options={colormaps} onChange={set("colormap")} emptyLabel={asProcessed(values.colormap)} />
        </Field>
        <Field id={`${id}-anchor`} label="Heat placed at">
          <EnumSelect
            id={`${id}-anchor`}
            value={values.anchor}
            options={HEATMAP_ANCHORS}
            labels={ANCHOR_LABELS}
            onChange={set("anchor")}
            emptyLabel={asProcessed(values.anchor)}
          />
        </Field>
        <Field id={`${id}-radius`} label="Spot size" hint="× body width">
          <input
            id={`${id}-radius`}
            type="number"
            inputMode="decimal"
            min={0.05}
            max={3}
            step={0.05}
            value={values.radius}
            placeholder="0.3"
            onChange={setFrom("radius")}
            aria-describedby={`${id}-radius-hint`}
          />
        </Field>
        <Field
          id={`${id}-scaling`}
          label="Scaling"
          hint={values.normalization === "log" ? "faint traces show" : values.normalization === "max" ? "hottest spot = top colour" : "ignores rare hot spots"}
        >
          <EnumSelect
            id={`${id}-scaling`}
            value={values.normalization}
            options={normalizations}
            labels={HEAT_SCALING_LABELS}
            onChange={set("normalization")}
            emptyLabel={asProcessed(values.normalization)}
            aria-describedby={`${id}-scaling-hint`}
          />
        </Field>
        <fieldset className="field field--wide time-window" aria-describedby={`${id}-window-hint`}>
          <legend className="field__label">Time window (s)</legend>
          <div className="time-window__inputs">
            <input
              type="number"
              min={0}
              max={duration}
              step="any"
              placeholder="0"
              value={values.t_start}
              onChange={setFrom("t_start")}
              aria-label="Start (seconds)"
            />
            <span aria-hidden="true">to</span>
            <input
              type="number"
              min={0}
              max={duration}
              step="any"
              placeholder={duration ? String(Math.round(duration * 10) / 10) : "end"}
              value={values.t_end}
              onChange={setFrom("t_end")}
              aria-label="End (seconds)"
            />
          </div>
          <span id={`${id}-window-hint`} className="field__hint">
            Empty: the whole video.
          </span>
        </fieldset>
        <Field
          id={`${id}-opacity`}
          label="Colour strength in heatmap.png"
          value={`${Math.round(Number(values.opacity || 0) * 100)}%`}
          hint="How strongly the heat colours cover the scene in the saved image and its downloads."
          wide
        >
          <input
            id={`${id}-opacity`}
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={values.opacity || 0}
            onChange={setFrom("opacity")}
            aria-describedby={`${id}-opacity-hint`}
          />
        </Field>
      </div>
      {problem && <Alert>{problem}</Alert>}
      {error !== null && error !== undefined && <Alert>{errorMessage(error)}</Alert>}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={pending || nothingChanged}>
          {pending ? "Redrawing…" : "Redraw heatmap"}
        </button>
        <button type="button" className="button button--ghost" onClick={() => setValues(baseline)} disabled={pending || nothingChanged}>
          Reset
        </button>
        <span className="muted small" aria-live="polite">
          {!pending && lastDurationMs !== null && `Redrawn in ${formatDuration(lastDurationMs)}.`}
        </span>
      </div>
    </form>
  );
}
