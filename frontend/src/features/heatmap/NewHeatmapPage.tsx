import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { HEATMAP_ANCHORS, HEATMAP_COLORMAPS, type HeatmapAnchor, type HeatmapColormap, type HeatmapMode, type HeatmapUploadParams } from "../../api/types";
import { capitalize } from "../../lib/text";
import { ANCHOR_TEXT, MODE_LABELS } from "../../lib/optionText";
import { EnumSelect } from "../../components/ui/EnumSelect";
import { Field } from "../../components/ui/Field";
import { FileDropZone } from "../../components/upload/FileDropZone";
import { RejectedFiles } from "../../components/upload/RejectedFiles";
import { SelectedFiles } from "../../components/upload/SelectedFiles";
import { UploadProgressPanel } from "../../components/upload/UploadProgressPanel";
import { WebhookField } from "../../components/upload/WebhookField";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { useUpload } from "../../hooks/useUpload";
import { checkFiles, VIDEO_EXTENSIONS, type FileCheck } from "../../lib/files";
import { webhookUrlProblem } from "../../lib/webhookUrl";

/**
 * What goes with the upload: only the options the user changed (null: untouched), so that the server applies
 * its own defaults, an operator's HEATMAP_SAMPLE_FPS and HEATMAP_CONF among them.
 */
export function uploadParams(choices: {
  sampleFps: string | null;
  conf: number | null;
  colormap: HeatmapColormap | null;
  anchor: HeatmapAnchor | null;
  mode: HeatmapMode | null;
  webhookUrl: string;
}): HeatmapUploadParams {
  const params: HeatmapUploadParams = {};
  if (choices.sampleFps !== null) params.sample_fps = Number(choices.sampleFps);
  if (choices.conf !== null) params.conf = choices.conf;
  if (choices.colormap !== null) params.colormap = choices.colormap;
  if (choices.anchor !== null) params.anchor = choices.anchor;
  if (choices.mode !== null) params.mode = choices.mode;
  if (choices.webhookUrl.trim()) params.webhook_url = choices.webhookUrl.trim();
  return params;
}

export function NewHeatmapPage() {
  useDocumentTitle("New heatmap");
  const navigate = useNavigate();
  const upload = useUpload();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [rejected, setRejected] = useState<FileCheck["rejected"]>([]);
  const defaults = useQuery({ queryKey: queryKeys.heatmapDefaults, queryFn: api.jobs.heatmapDefaults, staleTime: Infinity }).data ?? {};
  // null: not changed by the user, the server's default shows (and is not sent).
  const [sampleFps, setSampleFps] = useState<string | null>(null);
  const [conf, setConf] = useState<number | null>(null);
  const [colormap, setColormap] = useState<HeatmapColormap | null>(null);
  const [anchor, setAnchor] = useState<HeatmapAnchor | null>(null);
  const [mode, setMode] = useState<HeatmapMode | null>(null);
  const [webhookUrl, setWebhookUrl] = useState("");
  const shown = {
    sampleFps: sampleFps ?? (defaults.sample_fps === undefined ? "" : String(defaults.sample_fps)),
    conf: conf ?? defaults.conf ?? 0.25,
    colormap: colormap ?? defaults.colormap ?? "",
    anchor: anchor ?? defaults.anchor ?? "feet",
    mode: mode ?? defaults.mode ?? "all",
  };

  const onFiles = (files: File[]) => {
    const check = checkFiles(files.slice(0, 1), VIDEO_EXTENSIONS);
    const extra = files.length > 1 ? files.slice(1).map((f) => ({ file: f, reason: "a heatmap job takes one video" })) : [];
    setRejected([...check.rejected, ...extra]);
    if (check.accepted[0]) setFile(check.accepted[0]);
    upload.reset();
  };

  const fps = Number(sampleFps);
  const fpsValid = sampleFps === null || (sampleFps !== "" && Number.isFinite(fps) && fps > 0 && fps <= 60);
  const valid = fpsValid && !webhookUrlProblem(webhookUrl);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || !valid) return;
    const params = uploadParams({ sampleFps, conf, colormap, anchor, mode, webhookUrl });
    const job = await upload.start((onProgress) => api.jobs.uploadHeatmap(file, params, onProgress), file.size);
    if (job) navigate(`/jobs/${job.id}`);
  };

  return (
    <div className="page page--narrow">
      <div className="page-head">
        <div>
          <h1>New heatmap</h1>
          <p className="muted">Upload a video of a space. SceneLab tracks the people in it and shows where they walked and lingered.</p>
        </div>
      </div>
      <form className="card upload-form" onSubmit={submit}>
        <FileDropZone extensions={VIDEO_EXTENSIONS} what="a video" disabled={upload.busy} onFiles={onFiles} />
        <RejectedFiles rejected={rejected} />
        <SelectedFiles files={file ? [file] : []} disabled={upload.busy} onRemove={() => setFile(null)} />

        <fieldset className="options" disabled={upload.busy}>
          <legend>Options</legend>
          <div className="form-grid">
            <Field
              id={`${id}-fps`}
              label="Frames analysed per second"
              hint={`More is finer but slower. ${defaults.sample_fps ?? 5} (the default here) suits walking people.`}
              error={fpsValid ? undefined : "Enter a number between 0.5 and 60."}
            >
              <input
                id={`${id}-fps`}
                type="number"
                inputMode="decimal"
                min={0.5}
                max={60}
                step={0.5}
                value={shown.sampleFps}
                onChange={(e) => setSampleFps(e.target.value)}
                aria-invalid={!fpsValid}
                aria-describedby={`${id}-fps-hint`}
              />
            </Field>
            <Field
              id={`${id}-conf`}
              label="Detection confidence"
              value={`${Math.round(shown.conf * 100)} %`}
              hint="Lower finds more people, and more false ones."
            >
              <input
                id={`${id}-conf`}
                type="range"
                min={0.05}
                max={0.95}
                step={0.05}
                value={shown.conf}
                onChange={(e) => setConf(Number(e.target.value))}
                aria-describedby={`${id}-conf-hint`}
              />
            </Field>
            <Field id={`${id}-colormap`} label="Colours">
              <EnumSelect
                id={`${id}-colormap`}
                value={shown.colormap}
                options={HEATMAP_COLORMAPS}
                onChange={(c) => setColormap((c || null) as HeatmapColormap | null)}
                labels={defaults.colormap ? { [defaults.colormap]: `${capitalize(defaults.colormap)} (default)` } : undefined}
                emptyLabel={defaults.colormap ? undefined : "The server's default"}
              />
            </Field>
            <fieldset className="field">
              <legend className="field__label">Count</legend>
              <label className="check">
                <input type="radio" name={`${id}-mode`} checked={shown.mode === "all"} onChange={() => setMode("all")} />
                {MODE_LABELS.all}
              </label>
              <label className="check">
                <input type="radio" name={`${id}-mode`} checked={shown.mode === "movement"} onChange={() => setMode("movement")} />
                {MODE_LABELS.movement}
              </label>
            </fieldset>
            <fieldset className="field field--wide">
              <legend className="field__label">Heat placed at</legend>
              <div className="choice-row">
                {HEATMAP_ANCHORS.map((a) => (
                  <label key={a} className={`choice${shown.anchor === a ? " choice--checked" : ""}`}>
                    <input type="radio" name={`${id}-anchor`} value={a} checked={shown.anchor === a} onChange={() => setAnchor(a)} />
                    <span className="choice__label">{ANCHOR_TEXT[a].label}</span>
                    <span className="choice__hint">{ANCHOR_TEXT[a].hint}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
          <WebhookField value={webhookUrl} onChange={setWebhookUrl} />
        </fieldset>

        <UploadProgressPanel state={upload.state} onCancel={upload.cancel} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={!file || !valid || upload.busy}>
            {upload.busy ? "Uploading…" : "Upload and start"}
          </button>
          {!file && <span className="muted small">Choose a video first.</span>}
        </div>
      </form>
    </div>
  );
}
