import { useState, type PointerEvent } from "react";
import { errorMessage } from "../../api/client";
import type { Colormap, DepthMetadata } from "../../api/types";
import { Alert } from "../../components/ui/Alert";
import { Spinner } from "../../components/ui/Spinner";
import { DepthLegend } from "./DepthLegend";
import { depthAt, formatMetres, nearlyFlat } from "./depthValues";
import { useDepthValues } from "./useDepthValues";

interface Props {
  src: string;
  alt: string;
  metadataUrl?: string;
  png16Url?: string;
  /** The colours the shown map uses, for the legend. */
  colormap: Colormap;
}

interface Probe {
  fx: number;
  fy: number;
  metres: number;
}

const FOCAL_SOURCES: Record<DepthMetadata["focal_source"], string> = {
  exif: "from the photo's EXIF",
  fov: "from the job's field of view",
  default: "from the default 60° field of view",
};

/** The depth map with the depth in metres under the pointer (mouse or finger) and a colour bar in metres. */
export function DepthInspector({ src, alt, metadataUrl, png16Url, colormap }: Props) {
  const values = useDepthValues(metadataUrl, png16Url);
  const [probe, setProbe] = useState<Probe | null>(null);

  if (!metadataUrl || !png16Url) return <p className="muted">This depth map has no metric data (it was made before depth metadata existed).</p>;
  if (values.isPending) return <Spinner label="Loading depth values…" />;
  if (values.isError) return <Alert>{errorMessage(values.error)}</Alert>;
  const { metadata, raster } = values.data;

  const read = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const fx = (event.clientX - box.left) / box.width;
    const fy = (event.clientY - box.top) / box.height;
    const metres = depthAt(raster, metadata.png16, fx, fy);
    setProbe(metres === null ? null : { fx, fy, metres });
  };

  return (
    <div className="depth-inspector">
      <div className="depth-inspector__view">
        <div
          className="depth-inspector__image"
          data-testid="depth-inspector"
          onPointerMove={read}
          onPointerDown={read}
          onPointerLeave={(event) => event.pointerType === "mouse" && setProbe(null)}
        >
          <img src={src} alt={alt} draggable={false} />
          {probe && (
            <span className="depth-inspector__marker" style={{ left: `${probe.fx * 100}%`, top: `${probe.fy * 100}%` }} aria-hidden="true">
              <span className="depth-inspector__tip">{formatMetres(probe.metres)}</span>
            </span>
          )}
        </div>
        <DepthLegend colormap={colormap} minM={metadata.png16.min_m} maxM={metadata.png16.max_m} />
      </div>
      <output className="depth-inspector__readout" aria-live="polite">
        {probe ? `Depth here: ${formatMetres(probe.metres)}` : "Point at the map to read the depth in metres."}
      </output>
      <p className="depth-inspector__facts muted">
        Median {formatMetres(metadata.median_m)} · range {formatMetres(metadata.min_m)}–{formatMetres(metadata.max_m)}
        {metadata.normalization === "job" && " · colours and 16-bit values share the job's range"} · focal length {Math.round(metadata.focal_px)} px{" "}
        {FOCAL_SOURCES[metadata.focal_source]}. Metres come from the model's single global calibration: for an unknown camera read them as relative, to two
        significant figures.
      </p>
      {nearlyFlat(metadata.min_m, metadata.max_m, metadata.median_m) && (
        <Alert tone="warning" title="This map is nearly flat">
          Its depths span under 1 % of their median ({formatMetres(metadata.median_m)}): the colours show the model's noise, not the scene's shape.
        </Alert>
      )}
    </div>
  );
}
