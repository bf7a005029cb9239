import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import { COLORMAPS, DEPTH_NORMALIZATIONS, type Colormap, type DepthNormalization } from "../../api/types";
import { EnumSelect } from "../../components/ui/EnumSelect";
import { Field } from "../../components/ui/Field";
import { FileDropZone } from "../../components/upload/FileDropZone";
import { RejectedFiles } from "../../components/upload/RejectedFiles";
import { SelectedFiles } from "../../components/upload/SelectedFiles";
import { UploadProgressPanel } from "../../components/upload/UploadProgressPanel";
import { WebhookField } from "../../components/upload/WebhookField";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { useUpload } from "../../hooks/useUpload";
import { checkFiles, DEPTH_EXTENSIONS, type FileCheck } from "../../lib/files";
import { webhookUrlProblem } from "../../lib/webhookUrl";
import { DEPTH_RANGE_LABELS } from "../../lib/optionText";

const DEFAULT_FOV_DEG = 60;

const sameFile = (a: File, b: File) => a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;

export function NewDepthPage() {
  useDocumentTitle("New depth maps");
  const navigate = useNavigate();
  const upload = useUpload();
  const [files, setFiles] = useState<File[]>([]);
  const [rejected, setRejected] = useState<FileCheck["rejected"]>([]);
  const [colormap, setColormap] = useState<Colormap>("magma");
  const [normalization, setNormalization] = useState<DepthNormalization>("image");
  const [pointCloud, setPointCloud] = useState(false);
  const [fovDeg, setFovDeg] = useState(String(DEFAULT_FOV_DEG));
  const [webhookUrl, setWebhookUrl] = useState("");
  const webhookValid = !webhookUrlProblem(webhookUrl);

  const onFiles = (picked: File[]) => {
    const check = checkFiles(picked, DEPTH_EXTENSIONS);
    setRejected(check.rejected);
    setFiles((current) => [...current, ...check.accepted.filter((f) => !current.some((c) => sameFile(c, f)))]);
    upload.reset();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (files.length === 0 || !webhookValid) return;
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const job = await upload.start(
      (onProgress) =>
        api.jobs.uploadDepth(
          files,
          { colormap, normalization, point_cloud: pointCloud, fov_deg: Number(fovDeg), webhook_url: webhookUrl.trim() || undefined },
          onProgress,
        ),
      total,
    );
    if (job) navigate(`/jobs/${job.id}`);
  };

  return (
    <div className="page page--narrow">
      <div className="page-head">
        <div>
          <h1>New depth maps</h1>
          <p className="muted">Upload photos, or ZIPs of photos. Each one gets a depth map at its own resolution.</p>
        </div>
      </div>
      <form className="card upload-form" onSubmit={submit}>
        <FileDropZone extensions={DEPTH_EXTENSIONS} multiple what="images or ZIPs" disabled={upload.busy} onFiles={onFiles} />
        <RejectedFiles rejected={rejected} />
        <SelectedFiles files={files} disabled={upload.busy} onRemove={(i) => setFiles((current) => current.filter((_, j) => j !== i))} />

        <fieldset className="options" disabled={upload.busy}>
          <legend>Options</legend>
          <div className="form-grid">
            <Field id="depth-colormap" label="Colours of the preview" hint="16-bit and raw depth files are made too, whatever the colours.">
              <EnumSelect
                id="depth-colormap"
                value={colormap}
                options={COLORMAPS}
                onChange={(c) => c && setColormap(c)}
                aria-describedby="depth-colormap-hint"
              />
            </Field>
            <Field
              id="depth-normalization"
              label="Colour and 16-bit range"
              hint="One range for the job lets you compare photos: the same colour is the same distance in all of them."
            >
              <EnumSelect
                id="depth-normalization"
                value={normalization}
                options={DEPTH_NORMALIZATIONS}
                labels={DEPTH_RANGE_LABELS}
                onChange={(n) => n && setNormalization(n)}
                aria-describedby="depth-normalization-hint"
              />
            </Field>
            <Field
              id="depth-fov"
              label="Field of view (degrees)"
              hint="Horizontal, used for the point cloud when a photo's EXIF has no focal length. 60 suits most phones."
            >
              <input
                id="depth-fov"
                type="number"
                min={10}
                max={160}
                step={1}
                value={fovDeg}
                onChange={(e) => setFovDeg(e.target.value)}
                aria-describedby="depth-fov-hint"
                required
              />
            </Field>
            <label className="checkbox-field">
              <input type="checkbox" checked={pointCloud} onChange={(e) => setPointCloud(e.target.checked)} />
              Make a 3D point cloud of each photo (PLY)
            </label>
          </div>
          <WebhookField value={webhookUrl} onChange={setWebhookUrl} />
        </fieldset>

        <UploadProgressPanel state={upload.state} onCancel={upload.cancel} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={files.length === 0 || !webhookValid || upload.busy}>
            {upload.busy ? "Uploading…" : files.length > 1 ? `Upload ${files.length} files and start` : "Upload and start"}
          </button>
          {files.length > 0 && !upload.busy && (
            <button type="button" className="button button--ghost" onClick={() => setFiles([])}>
              Clear
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
