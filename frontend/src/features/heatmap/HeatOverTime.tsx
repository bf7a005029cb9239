import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { ResultFile } from "../../api/types";
import { withVersion } from "../../lib/files";
import { formatClock } from "../../lib/format";
import { parseNpy } from "../../lib/npy";
import { colormapLut } from "../../lib/colormaps";
import { accumulateSlices, heatPixels, sliceFactor, type Slices } from "./heatOverTime";

interface Props {
  jobId: string;
  slicesFile: ResultFile;
  background: ResultFile;
  /** Seconds of video per slice (`slice_s` of `stats.json`). */
  sliceS: number;
  /** Seconds of video in all. */
  durationS: number;
  version: string;
}

/** Steps per second while playing. */
const PLAY_STEPS_PER_S = 4;
const LUT = colormapLut("turbo");

/**
 * The heat building up through the video, drawn in the browser from the job's `heat_slices.npy` over its
 * background: a slider picks the moment (the heat of every slice up to it), Play runs through them. One download,
 * no request per step.
 */
export function HeatOverTime({ jobId, slicesFile, background, sliceS, durationS, version }: Props) {
  const slices = useQuery({
    queryKey: queryKeys.heatSlices(jobId, version),
    queryFn: async () => accumulateSlices(parseNpy(await api.jobs.fileBytes(slicesFile.url))),
    staleTime: Infinity,
  });
  const [step, setStep] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const sliderId = useId();
  const count = slices.data?.count ?? 0;
  const shown = step ?? Math.max(0, count - 1);

  useEffect(() => {
    if (!playing) return;
    if (shown >= count - 1) {
      setPlaying(false);
      return;
    }
    const timer = window.setTimeout(() => setStep(shown + 1), 1000 / PLAY_STEPS_PER_S);
    return () => window.clearTimeout(timer);
  }, [playing, shown, count]);

  const play = () => {
    if (!playing && shown >= count - 1) setStep(0); // from the start again
    setPlaying(!playing);
  };

  if (slices.isPending) return <p className="muted">Loading the heat over time…</p>;
  if (slices.isError) return <p className="muted">The heat over time could not be loaded.</p>;
  const until = Math.min(durationS, (shown + 1) * sliceS);
  return (
    <div className="viewer">
      <div className="viewer__toolbar">
        <button type="button" className="button" onClick={play} aria-pressed={playing}>
          {playing ? "Pause" : "Play"}
        </button>
        <div className="viewer__opacity">
          <label htmlFor={sliderId}>Heat until</label>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={count - 1}
            step={1}
            value={shown}
            onChange={(e) => {
              setPlaying(false);
              setStep(Number(e.target.value));
            }}
            data-testid="time-slider"
          />
          <output htmlFor={sliderId} data-testid="time-clock">
            {formatClock(until)} of {formatClock(durationS)}
          </output>
        </div>
      </div>
      <HeatCanvas slices={slices.data} step={shown} backgroundUrl={withVersion(background.url, version)} />
    </div>
  );
}

function HeatCanvas({ slices, step, backgroundUrl }: { slices: Slices; step: number; backgroundUrl: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [scene, setScene] = useState<HTMLImageElement | null>(null);
  useEffect(() => {
    const image = new Image();
    image.onload = () => setScene(image);
    image.src = backgroundUrl;
  }, [backgroundUrl]);
  const cells = useMemo(() => {
    const layer = document.createElement("canvas");
    [layer.width, layer.height] = [slices.cols, slices.rows];
    return layer;
  }, [slices]);

  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    const cellContext = cells.getContext("2d");
    if (!context || !cellContext || !scene) return;
    const [width, height] = [scene.naturalWidth, scene.naturalHeight];
    [context.canvas.width, context.canvas.height] = [width, height];
    const pixels = heatPixels(slices.totals[step], slices.top, LUT);
    cellContext.putImageData(new ImageData(pixels, slices.cols, slices.rows), 0, 0);
    const factor = sliceFactor(width, height);
    context.drawImage(scene, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(cells, 0, 0, slices.cols * factor, slices.rows * factor);
  }, [cells, scene, slices, step]);

  return (
    <canvas
      ref={canvas}
      className="viewer__image"
      role="img"
      aria-label={`Heat accumulated up to slice ${step + 1} of ${slices.count}`}
      data-testid="heat-over-time"
    />
  );
}
