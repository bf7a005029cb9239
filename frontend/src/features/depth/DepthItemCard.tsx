import { lazy, Suspense, useState } from "react";
import type { Colormap, JobItem, ResultFile } from "../../api/types";
import { Spinner } from "../../components/ui/Spinner";
import { DepthInspector } from "./DepthInspector";
import { useRecoloredImage } from "./useRecoloredImage";
import { depthPair, downloadUrl } from "../../lib/files";
import { formatBytes } from "../../lib/format";
import { capitalize } from "../../lib/text";
import { BeforeAfterSlider } from "../../components/ui/BeforeAfterSlider";
import { StatusBadge } from "../../components/StatusBadge";

export type CompareMode = "slider" | "side-by-side" | "measure";

// three.js loads only when someone opens a 3D view.
const PointCloudView = lazy(() => import("./PointCloudView"));

interface Props {
  item: JobItem;
  jobResults: ResultFile[];
  mode: CompareMode;
  /** Recolour in the browser from `<stem>_depth16.png`; null shows the server's colour preview. */
  recolor?: Colormap | null;
  /** The colours of the server's preview (the job's colormap). */
  processedWith?: Colormap;
}

/** One image of a depth job: input and depth map compared, its status, error and files. */
export function DepthItemCard({ item, jobResults, mode, recolor = null, processedWith = "magma" }: Props) {
  const pair = depthPair(item, jobResults);
  const recolored = useRecoloredImage(recolor ? pair.sixteen?.url : undefined, recolor);
  const [show3d, setShow3d] = useState(false);
  const depthSrc = recolored ?? pair.depth?.url;
  const files = item.results.length > 0 ? item.results : jobResults.filter((r) => r.name.startsWith(`${pair.stem}.`) || r.name.startsWith(`${pair.stem}_`));
  const canCompare = pair.depth && pair.input && pair.inputViewable;

  return (
    <article className="depth-item card" data-item={item.name}>
      <header className="depth-item__head">
        <h3 className="depth-item__title" title={item.name}>
          {item.name}
        </h3>
        <StatusBadge status={item.status} />
      </header>
      {item.error && (
        <p className="job-error" role="note">
          <span aria-hidden="true">⚠ </span>
          {capitalize(item.error)}
        </p>
      )}
      {canCompare && mode === "slider" && (
        <BeforeAfterSlider
          beforeSrc={pair.input!.url}
          beforeAlt={`Input image ${item.name}`}
          afterSrc={depthSrc!}
          afterAlt={`Depth map of ${item.name}`}
          label={`Compare ${item.name} with its depth map`}
        />
      )}
      {mode === "measure" && pair.depth && (
        <DepthInspector
          src={depthSrc!}
          alt={`Depth map of ${item.name}`}
          metadataUrl={pair.metadata?.url}
          png16Url={pair.sixteen?.url}
          colormap={recolor ?? processedWith}
        />
      )}
      {(mode === "side-by-side" || (mode === "slider" && !canCompare)) && (pair.input || pair.depth) && (
        <div className="side-by-side">
          {pair.input && (
            <figure>
              {pair.inputViewable ? (
                <img src={pair.input.url} alt={`Input image ${item.name}`} loading="lazy" />
              ) : (
                <div className="image-placeholder">Your browser can't show {pair.input.name.split(".").pop()?.toUpperCase()} images; download it below.</div>
              )}
              <figcaption>Input</figcaption>
            </figure>
          )}
          {pair.depth && (
            <figure>
              <img src={depthSrc} alt={`Depth map of ${item.name}`} loading="lazy" />
              <figcaption>Depth (colour preview)</figcaption>
            </figure>
          )}
        </div>
      )}
      {pair.points && (
        <div className="depth-item__3d">
          <button type="button" className="button button--ghost" aria-expanded={show3d} onClick={() => setShow3d((on) => !on)}>
            {show3d ? "Hide the 3D view" : "3D view"}
          </button>
          {show3d && (
            <Suspense fallback={<Spinner label="Loading the 3D viewer…" />}>
              <PointCloudView file={pair.points} name={item.name} />
            </Suspense>
          )}
        </div>
      )}
      {item.status === "queued" && <p className="muted">Waiting to be processed…</p>}
      {files.length > 0 && (
        <ul className="file-chips" aria-label={`Files of ${item.name}`}>
          {files.map((file) => (
            <li key={file.name}>
              <a className="file-chip" href={downloadUrl(file.url)} download={file.name}>
                <span aria-hidden="true">↓ </span>
                {file.name.startsWith(`${pair.stem}_`) ? file.name.slice(pair.stem.length + 1) : "input"}
                <span className="visually-hidden"> ({file.name})</span>
                <span className="file-chip__size">{formatBytes(file.bytes)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
