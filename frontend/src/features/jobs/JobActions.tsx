import { useState } from "react";
import { errorMessage } from "../../api/client";
import { isFinished, type Job } from "../../api/types";
import { useCancelJob, useDeleteJob } from "../../hooks/useJobs";
import { ConfirmDialog } from "../../components/ui/ConfirmDialog";

interface Props {
  job: Job;
  /** Called after the job is gone (e.g. to leave its page). */
  onDeleted?: () => void;
  size?: "small" | "normal";
}

/** "Cancel job" while it is queued or running; "Delete" (after a confirmation) once it has finished. */
export function JobActions({ job, onDeleted, size = "normal" }: Props) {
  const cancel = useCancelJob();
  const remove = useDeleteJob();
  const [confirming, setConfirming] = useState(false);
  const finished = isFinished(job.status);
  const sizeClass = size === "small" ? " button--small" : "";
  const error = cancel.error ?? remove.error;

  return (
    <div className="job-actions">
      {!finished && (
        <button
          type="button"
          className={`button button--ghost${sizeClass}`}
          onClick={() => cancel.mutate(job.id)}
          disabled={cancel.isPending}
          aria-label={`Cancel job ${job.input_name}`}
        >
          {cancel.isPending ? "Cancelling…" : "Cancel job"}
        </button>
      )}
      {finished && (
        <button
          type="button"
          className={`button button--danger-ghost${sizeClass}`}
          onClick={() => setConfirming(true)}
          aria-label={`Delete job ${job.input_name}`}
        >
          Delete
        </button>
      )}
      {error && (
        <p className="field-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title="Delete this job?"
        confirmLabel="Delete job"
        danger
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(job.id, {
            onSuccess: () => {
              setConfirming(false);
              onDeleted?.();
            },
            onError: () => setConfirming(false),
          })
        }
      >
        <p>
          <strong>{job.input_name}</strong> and all {job.results.length > 0 ? `${job.results.length} of its result files` : "its files"} will be removed from
          the server. This can't be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
