import { useId, useState } from "react";
import { errorMessage } from "../../api/client";
import { COLORMAPS, isFinished, type Colormap, type JobOf } from "../../api/types";
import { capitalize } from "../../lib/text";
import { useJobItems } from "../../hooks/useJobs";
import { Alert } from "../../components/ui/Alert";
import { EnumSelect } from "../../components/ui/EnumSelect";
import { DepthItemCard, type CompareMode } from "./DepthItemCard";
import { Spinner } from "../../components/ui/Spinner";
import { SegmentedControl } from "../../components/ui/SegmentedControl";

/** Every image of a depth job, with a switch between the before/after slider and side by side. */
export function DepthResult({ job }: { job: JobOf<"depth"> }) {
  const items = useJobItems(job);
  const [mode, setMode] = useState<CompareMode>("slider");
  const [recolor, setRecolor] = useState<Colormap | null>(null);
  const name = useId();
  const processedWith = job.params.colormap;
  const canRecolor = job.results.some((r) => r.name.endsWith("_depth16.png"));

  if (items.isPending) return <Spinner label="Loading images…" />;
  if (items.isError) return <Alert>{errorMessage(items.error)}</Alert>;

  const list = items.data.items;
  return (
    <section aria-labelledby="depth-title" className="depth-result">
      <div className="section-head">
        <h2 id="depth-title" className="section-title">
          {list.length === 1 ? "1 image" : `${list.length} images`}
          {job.items_failed > 0 && <span className="muted"> · {job.items_failed} failed</span>}
        </h2>
        <div className="depth-result__controls">
          {canRecolor && (
            <label className="inline-field">
              <span>Colours</span>
              <EnumSelect
                value={recolor ?? ""}
                options={COLORMAPS.filter((c) => c !== processedWith)}
                onChange={(c) => setRecolor(c || null)}
                emptyLabel={processedWith ? `${capitalize(processedWith)} (as processed)` : "As processed"}
              />
            </label>
          )}
          <SegmentedControl
            legend="Compare"
            name={name}
            options={[
              ["slider", "Slider"],
              ["side-by-side", "Side by side"],
              ["measure", "Measure"],
            ]}
            value={mode}
            onChange={setMode}
          />
        </div>
      </div>
      {list.length === 0 && <p className="muted">{isFinished(job.status) ? "This job has no images." : "Images appear here as they are processed."}</p>}
      <div className={`depth-grid${list.length === 1 ? " depth-grid--single" : ""}`}>
        {list.map((item) => (
          <DepthItemCard key={item.stem} item={item} jobResults={job.results} mode={mode} recolor={recolor} processedWith={processedWith} />
        ))}
      </div>
    </section>
  );
}
