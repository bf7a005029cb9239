import { errorMessage } from "../../api/client";
import type { UploadState } from "../../hooks/useUpload";
import { formatBytes, formatUploadProgress } from "../../lib/format";
import { Alert } from "../ui/Alert";
import { ProgressBar } from "../ui/ProgressBar";

interface Props {
  state: UploadState;
  onCancel: () => void;
}

/** Upload progress with bytes sent, speed and time left, a Cancel button, and how it ended. */
export function UploadProgressPanel({ state, onCancel }: Props) {
  if (state.phase === "idle" || state.phase === "done") return null;
  if (state.phase === "cancelled") return <Alert tone="info">Upload cancelled. Nothing was sent to processing.</Alert>;
  if (state.phase === "error") {
    return (
      <Alert tone="error" title="The upload was refused">
        {errorMessage(state.error, "upload")}
      </Alert>
    );
  }

  const processing = state.phase === "processing";
  const text = processing ? null : formatUploadProgress({ loaded: state.loaded, total: state.total, elapsedMs: state.now - state.startedAt });

  return (
    <div className="upload-progress" aria-live="polite">
      <ProgressBar value={processing ? 1 : text!.fraction} label="Upload progress" valueText={processing ? "100%" : text!.percent} />
      <div className="upload-progress__row">
        <p className="upload-progress__numbers" data-testid="upload-numbers">
          {processing ? (
            <>Sent {formatBytes(state.total)} · the server is checking the file…</>
          ) : (
            <>
              {text!.bytes} · {text!.speed}
              {text!.remaining && <> · {text!.remaining}</>}
            </>
          )}
        </p>
        <button type="button" className="button button--ghost button--small" onClick={onCancel}>
          Cancel upload
        </button>
      </div>
    </div>
  );
}
