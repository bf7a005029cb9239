import { Link } from "react-router";
import { isFinished, type Job } from "../../api/types";
import { JobActions } from "./JobActions";
import { JobError } from "./JobError";
import { JobProgress } from "./JobProgress";
import { JobThumbnail } from "./JobThumbnail";
import { JobTimings } from "./JobTimings";
import { StatusBadge } from "../../components/StatusBadge";

export const KIND_LABELS = { heatmap: "Heatmap", depth: "Depth maps" } as const;

/** One job in the history list. */
export function JobCard({ job }: { job: Job }) {
  const active = !isFinished(job.status);
  return (
    <li className="job-card" data-job-id={job.id} data-status={job.status}>
      <Link to={`/jobs/${job.id}`} className="job-card__thumb" tabIndex={-1} aria-hidden="true">
        <JobThumbnail job={job} />
      </Link>
      <div className="job-card__main">
        <div className="job-card__head">
          <h3 className="job-card__title">
            <Link to={`/jobs/${job.id}`}>{job.input_name}</Link>
          </h3>
          <StatusBadge status={job.status} partial={job.items_failed > 0} />
        </div>
        <p className="job-card__meta">
          <span className={`kind-tag kind-tag--${job.kind}`}>{KIND_LABELS[job.kind]}</span>
          <span>
            {job.kind === "depth" && job.items_total > 0 && `${job.items_total === 1 ? "1 image" : `${job.items_total} images`} · `}
            <JobTimings job={job} />
          </span>
        </p>
        {active && <JobProgress job={job} />}
        <JobError job={job} />
      </div>
      <div className="job-card__actions">
        <JobActions job={job} size="small" />
      </div>
    </li>
  );
}
