import { useId, useState } from "react";
import type { ResultFile } from "../../api/types";
import { withVersion } from "../../lib/files";
import { SegmentedControl } from "../../components/ui/SegmentedControl";

interface Props {
  heatmap?: ResultFile;
  background?: ResultFile;
  tracks?: ResultFile;
  /** Changes when the images are redrawn, so the browser fetches them again. */
  version: string;
}

type View = "heatmap" | "tracks";

/**
 * The heatmap over the scene (its colour legend is drawn inside the image), and the trajectories as a second
 * view. When the plain background is available, a slider fades the heatmap image into it, in the browser only:
 * unlike the redraw form's colour strength, it changes neither the image on the server nor the downloads.
 */
export function HeatmapViewer({ heatmap, background, tracks, version }: Props) {
  const [view, setView] = useState<View>("heatmap");
  const [opacity, setOpacity] = useState(100);
  const name = useId();
  const sliderId = useId();
  const shown = view === "tracks" && tracks ? "tracks" : "heatmap";

  return (
    <div className="viewer">
      <div className="viewer__toolbar">
        {tracks && (
          <SegmentedControl
            legend="View"
            name={name}
            options={[
              ["heatmap", "Heatmap"],
              ["tracks", "Trajectories"],
            ]}
            value={shown}
            onChange={setView}
          />
        )}
        {shown === "heatmap" && background && heatmap && (
          <div className="viewer__opacity">
            <label htmlFor={sliderId}>
              Heat shown <span className="viewer__note">(this view only)</span>
            </label>
            <input id={sliderId} type="range" min={0} max={100} step={5} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} />
            <output htmlFor={sliderId}>{opacity}%</output>
          </div>
        )}
      </div>

      <div className="viewer__stage">
        {shown === "heatmap" &&
          (heatmap ? (
            <div className="viewer__stack">
              {background && <img className="viewer__image" src={withVersion(background.url, version)} alt="The scene without people (median background)" />}
              <img
                className={`viewer__image${background ? " viewer__image--overlay" : ""}`}
                src={withVersion(heatmap.url, version)}
                alt="Heatmap of where people spent time, with a colour legend in person-seconds"
                style={background ? { opacity: opacity / 100 } : undefined}
                data-testid="heatmap-image"
              />
            </div>
          ) : (
            <p className="muted">This job has no heatmap image.</p>
          ))}
        {shown === "tracks" && tracks && (
          <img
            className="viewer__image"
            src={withVersion(tracks.url, version)}
            alt="Trajectories of each tracked person, one colour per person"
            data-testid="tracks-image"
          />
        )}
      </div>
    </div>
  );
}
