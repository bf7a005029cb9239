import type { ComponentType } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, api, errorMessage } from "../../api/client";
import { isFinished, type Job } from "../../api/types";
import { Alert } from "../../components/ui/Alert";
import { DownloadList } from "./DownloadList";
import { JobActions } from "./JobActions";
import { KIND_LABELS } from "./JobCard";
import { JobError } from "./JobError";
import { JobParams } from "./JobParams";
import { JobProgress } from "./JobProgress";
import { JobTimings } from "./JobTimings";
import { WebhookDeliveries } from "./WebhookDeliveries";
import { Spinner } from "../../components/ui/Spinner";
import { StatusBadge } from "../../components/StatusBadge";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { useJob } from "../../hooks/useJobs";
import { formatBytes } from "../../lib/format";

/** A job's results as its kind shows them (the app passes each kind's view: a feature imports no other feature). */
export type JobResultView = ComponentType<{ job: Job }>;

export function JobPage({ Result }: { Result: JobResultView }) {
  const { jobId = "" } = useParams();
  const navigate = useNavigate();
  const job = useJob(jobId);
  useDocumentTitle(job.data ? job.data.input_name : "Job");

  if (job.isPending) return <Spinner label="Loading the job…" />;
  if (job.isError) {
    const missing = job.error instanceof ApiError && (job.error.status === 404 || job.error.status === 422);
    return (
      <div className="page page--narrow">
        <h1>{missing ? "Job not found" : "Couldn't load this job"}</h1>
        <Alert>{missing ? "This job doesn't exist, was deleted, or belongs to another account." : errorMessage(job.error)}</Alert>
        <p>
          <Link to="/">← Back to your jobs</Link>
        </p>
      </div>
    );
  }

  const data = job.data;
  const finished = isFinished(data.status);
  const totalBytes = data.results.reduce((sum, r) => sum + r.bytes, 0);

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/">← Your jobs</Link>
      </p>
      <div className="page-head">
        <div className="page-head__title">
          <h1 className="job-title">{data.input_name}</h1>
          <p className="job-card__meta">
            <span className={`kind-tag kind-tag--${data.kind}`}>{KIND_LABELS[data.kind]}</span>
            <StatusBadge status={data.status} partial={data.items_failed > 0} />
            <JobTimings job={data} detailed />
          </p>
        </div>
        <div className="page-head__actions">
          {finished && data.results.length > 0 && (
            <a className="button button--secondary" href={api.jobs.archiveUrl(data.id)} download>
              ↓ Download all (ZIP, {formatBytes(totalBytes)})
            </a>
          )}
          {data.kind === "depth" && finished && (
            <a className="button button--ghost" href={api.jobs.allArchiveUrl("depth")} download>
              ↓ All my depth results
            </a>
          )}
          <JobActions job={data} onDeleted={() => navigate("/", { replace: true })} />
        </div>
      </div>

      {!finished && (
        <div className="card job-live">
          <JobProgress job={data} />
          <p className="job-live__hint">This page updates by itself: you can leave it and come back later.</p>
        </div>
      )}
      <JobError job={data} banner />

      <Result key={data.id} job={data} />

      <section className="card job-details">
        <h2 className="section-title">Details</h2>
        <JobParams kind={data.kind} params={data.params} />
        <DownloadList files={data.results} title="Result files" />
        {data.webhook_url && <WebhookDeliveries url={data.webhook_url} deliveries={data.webhook_deliveries} />}
      </section>
    </div>
  );
}
