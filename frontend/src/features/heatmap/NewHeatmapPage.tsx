import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import { HEATMAP_ANCHORS, HEATMAP_COLORMAPS, type HeatmapAnchor, type HeatmapColormap, type HeatmapUploadParams } from "../../api/types";
import { EnumSelect } from "../../components/ui/EnumSelect";
import { Field } from "../../components/ui/Field";
import { FileDropZone } from "../upload/FileDropZone";
import { RejectedFiles } from "../upload/RejectedFiles";
import { SelectedFiles } from "../upload/SelectedFiles";
import { UploadProgressPanel } from "../upload/UploadProgressPanel";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { useUpload } from "../upload/useUpload";
import { checkFiles, VIDEO_EXTENSIONS, type FileCheck } from "../../lib/files";

const ANCHOR_TEXT: Record<HeatmapAnchor, { label: string; hint: string }> = {
  feet: { label: "Feet", hint: "where people stand on the floor (recommended)" },
  center: { label: "Body centre", hint: "middle of each person" },
  box: { label: "Whole body", hint: "spread over each person's box" },
};

export function NewHeatmapPage() {
  useDocumentTitle("New heatmap");
  const navigate = useNavigate();
  const upload = useUpload();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [rejected, setRejected] = useState<FileCheck["rejected"]>([]);
  const [sampleFps, setSampleFps] = useState("5");
  const [conf, setConf] = useState(0.25);
  const [colormap, setColormap] = useState<HeatmapColormap | "">("");
  const [anchor, setAnchor] = useState<HeatmapAnchor>("feet");
  const [movingOnly, setMovingOnly] = useState(false);

  const onFiles = (files: File[]) => {
    const check = checkFiles(files.slice(0, 1), VIDEO_EXTENSIONS);
    const extra = files.length > 1 ? files.slice(1).map((f) => ({ file: f, reason: "a heatmap job takes one video" })) : [];
    setRejected([...check.rejected, ...extra]);
    if (check.accepted[0]) setFile(check.accepted[0]);
    upload.reset();
  };

  const fps = Number(sampleFps);
  const fpsValid = sampleFps !== "" && Number.isFinite(fps) && fps > 0 && fps <= 60;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || !fpsValid) return;
    const params: HeatmapUploadParams = { sample_fps: fps, conf, anchor };
    if (colormap) params.colormap = colormap;
    if (movingOnly) params.mode = "movement";
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
              hint="More is finer but slower. 5 suits walking people."
              error={fpsValid ? undefined : "Enter a number between 0.5 and 60."}
            >
              <input
                id={`${id}-fps`}
                type="number"
                inputMode="decimal"
                min={0.5}
                max={60}
                step={0.5}
                value={sampleFps}
                onChange={(e) => setSampleFps(e.target.value)}
                aria-invalid={!fpsValid}
                aria-describedby={`${id}-fps-hint`}
              />
            </Field>
            <Field id={`${id}-conf`} label="Detection confidence" value={`${Math.round(conf * 100)}%`} hint="Lower finds more people, and more false ones.">
              <input
                id={`${id}-conf`}
                type="range"
                min={0.05}
                max={0.95}
                step={0.05}
                value={conf}
                onChange={(e) => setConf(Number(e.target.value))}
                aria-describedby={`${id}-conf-hint`}
              />
            </Field>
            <Field id={`${id}-colormap`} label="Colours">
              <EnumSelect id={`${id}-colormap`} value={colormap} options={HEATMAP_COLORMAPS} onChange={setColormap} emptyLabel="Default" />
            </Field>
            <fieldset className="field">
              <legend className="field__label">Count</legend>
              <label className="check">
                <input type="radio" name={`${id}-mode`} checked={!movingOnly} onChange={() => setMovingOnly(false)} />
                Everyone in view
              </label>
              <label className="check">
                <input type="radio" name={`${id}-mode`} checked={movingOnly} onChange={() => setMovingOnly(true)} />
                Only people on the move
              </label>
            </fieldset>
            <fieldset className="field field--wide">
              <legend className="field__label">Heat placed at</legend>
              <div className="choice-row">
                {HEATMAP_ANCHORS.map((a) => (
                  <label key={a} className={`choice${anchor === a ? " choice--checked" : ""}`}>
                    <input type="radio" name={`${id}-anchor`} value={a} checked={anchor === a} onChange={() => setAnchor(a)} />
                    <span className="choice__label">{ANCHOR_TEXT[a].label}</span>
                    <span className="choice__hint">{ANCHOR_TEXT[a].hint}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
        </fieldset>

        <UploadProgressPanel state={upload.state} onCancel={upload.cancel} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={!file || !fpsValid || upload.busy}>
            {upload.busy ? "Uploading…" : "Upload and start"}
          </button>
          {!file && <span className="muted small">Choose a video first.</span>}
        </div>
      </form>
    </div>
  );
}
