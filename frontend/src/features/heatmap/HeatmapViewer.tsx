import { useId, useState, type SyntheticEvent } from "react";
import type { HeatmapLegend, ResultFile } from "../../api/types";
import { HeatLegend } from "../../components/HeatLegend";
import { withVersion } from "../../lib/files";
import { SegmentedControl } from "../../components/ui/SegmentedControl";

interface Props {
  heatmap?: ResultFile;
  background?: ResultFile;
  tracks?: ResultFile;
  /** The colour scale (legend.json), shown under the heatmap; jobs made before it existed have none. */
  legend?: HeatmapLegend;
  /** Changes when the images are redrawn, so the browser fetches them again. */
  version: string;
}

type View = "heatmap" | "tracks";

/**
 * The heatmap over the scene (its colour legend is drawn inside the image, right of the scene), and the
 * trajectories as a second view. When the plain background is available, a slider fades the heat colours into
 * it, in the browser only: unlike the redraw form's colour strength, it changes neither the image on the server
 * nor the downloads. The background covers the scene part of the heatmap image only (its width over the
 * heatmap's, once both have loaded), so the legend stays readable and nothing is stretched.
 */
export function HeatmapViewer({ heatmap, background, tracks, legend, version }: Props) {
  const [view, setView] = useState<View>("heatmap");
  const [opacity, setOpacity] = useState(100);
  const [widths, setWidths] = useState({ heatmap: 0, scene: 0 });
  const sceneShare = widths.heatmap > 0 && widths.scene > 0 ? widths.scene / widths.heatmap : null;
  const loaded = (key: keyof typeof widths) => (event: SyntheticEvent<HTMLImageElement>) => {
    const width = event.currentTarget.naturalWidth;
    setWidths((w) => ({ ...w, [key]: width }));
  };
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
              <img
                className="viewer__image"
                src={withVersion(heatmap.url, version)}
                alt="Heatmap of where people spent time, with a colour legend in person-seconds"
                onLoad={loaded("heatmap")}
                data-testid="heatmap-image"
              />
              {background && (
                <img
                  className="viewer__scene"
                  src={withVersion(background.url, version)}
                  alt=""
                  onLoad={loaded("scene")}
                  style={sceneShare === null ? { visibility: "hidden" } : { width: `${sceneShare * 100}%`, opacity: 1 - opacity / 100 }}
                  data-testid="scene-image"
                />
              )}
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
      {shown === "heatmap" && heatmap && legend && <HeatLegend legend={legend} />}
      {shown === "tracks" && tracks && (
        <p className="viewer__legend" data-testid="tracks-legend">
          <svg width="64" height="14" viewBox="0 0 64 14" aria-hidden="true">
            <path d="M2 10 C 20 2, 36 12, 54 6" fill="none" stroke="currentColor" strokeWidth="2" />
            <circle cx="54" cy="6" r="4" fill="currentColor" />
          </svg>
          One line per tracked person, from where they were first seen (the plain end) to where they were last seen (the dot). Colours only tell people apart.
        </p>
      )}
    </div>
  );
}
