import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api/client";
import { COLORMAPS, type Colormap } from "../../api/types";
import { EnumSelect } from "../../components/ui/EnumSelect";
import { Field } from "../../components/ui/Field";
import { FileDropZone } from "../upload/FileDropZone";
import { RejectedFiles } from "../upload/RejectedFiles";
import { SelectedFiles } from "../upload/SelectedFiles";
import { UploadProgressPanel } from "../upload/UploadProgressPanel";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { useUpload } from "../upload/useUpload";
import { checkFiles, DEPTH_EXTENSIONS, type FileCheck } from "../../lib/files";

const sameFile = (a: File, b: File) => a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;

export function NewDepthPage() {
  useDocumentTitle("New depth maps");
  const navigate = useNavigate();
  const upload = useUpload();
  const [files, setFiles] = useState<File[]>([]);
  const [rejected, setRejected] = useState<FileCheck["rejected"]>([]);
  const [colormap, setColormap] = useState<Colormap>("magma");

  const onFiles = (picked: File[]) => {
    const check = checkFiles(picked, DEPTH_EXTENSIONS);
    setRejected(check.rejected);
    setFiles((current) => [...current, ...check.accepted.filter((f) => !current.some((c) => sameFile(c, f)))]);
    upload.reset();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (files.length === 0) return;
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const job = await upload.start((onProgress) => api.jobs.uploadDepth(files, { colormap }, onProgress), total);
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
          </div>
        </fieldset>

        <UploadProgressPanel state={upload.state} onCancel={upload.cancel} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={files.length === 0 || upload.busy}>
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
