import { useEffect, useId, useRef, useState } from "react";
import { formatClock, formatNumber } from "../../lib/format";
import { capitalize } from "../../lib/text";

const HEIGHT = 190;
const PAD = { top: 24, right: 14, bottom: 26, left: 34 };

/** A round number ≥ value for the top of the y axis (1, 2, 2.5, 5, 10, 20, …). */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * power + 1e-9) return step * power;
  }
  return 10 * power;
}

/** Seconds between x-axis labels: a clock-friendly step giving at most `maxTicks` labels. */
export function timeStep(lengthSeconds: number, maxTicks: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
  return steps.find((s) => lengthSeconds / s <= Math.max(1, maxTicks)) ?? 3600 * Math.ceil(lengthSeconds / maxTicks / 3600);
}

/** Y-axis ticks for a count of people: whole numbers only (no half-people), 0, about half way, and the top. */
export function peopleTicks(top: number): number[] {
  return [...new Set([0, Math.round(top / 2), top])].filter((tick) => Number.isInteger(tick));
}

/** Chart coordinates of each value, for a chart `width` pixels wide. */
export function chartPoints(values: number[], top: number, width: number): [number, number][] {
  const innerW = width - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const n = values.length;
  return values.map((v, i) => {
    const x = PAD.left + (n === 1 ? innerW / 2 : (i / (n - 1)) * innerW);
    const y = PAD.top + innerH - (Math.max(0, v) / top) * innerH;
    return [Number(x.toFixed(1)), Number(y.toFixed(1))];
  });
}

/** Width of an element, kept up to date (a fallback until it is measured, and in tests). */
function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.round(entry.contentRect.width);
      if (measured > 0) setWidth(measured);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/**
 * People in view (or, with `what`, inside a zone…) during each second of the video, as a small area chart
 * (with the numbers as a table). `peak` and `mean` are the server's figures for the whole video (most at
 * once in one sample, person-seconds over the video's length), the same numbers the tables show; the chart
 * itself draws the average of each second.
 */
export function PeoplePerSecondChart({
  values,
  peak,
  mean,
  what = "people in view",
  nobody = "Nobody was detected in this video.",
}: {
  values: number[];
  peak: number;
  mean: number;
  what?: string;
  nobody?: string;
}) {
  const titleId = useId();
  const [frameRef, width] = useWidth(640);
  const clean = values.map((v) => (Number.isFinite(v) ? v : 0));
  if (clean.length === 0) return <p className="muted">No per-second figures in this job.</p>;

  const busiest = Math.max(...clean);
  const busiestAt = clean.indexOf(busiest);
  const top = Math.max(1, Math.ceil(niceCeiling(busiest)));
  const points = chartPoints(clean, top, width);
  const baseY = HEIGHT - PAD.bottom;
  const line = points.map(([x, y], i) => `${i ? "L" : "M"}${x},${y}`).join(" ");
  const area = `${line} L${points[points.length - 1][0]},${baseY} L${points[0][0]},${baseY} Z`;
  const yTicks = peopleTicks(top);
  const step = timeStep(clean.length - 1, Math.floor(width / 70));
  const xTicks: number[] = [];
  for (let s = 0; s <= clean.length - 1; s += step) xTicks.push(s);
  const figures = `most at once ${formatNumber(peak, 0)}, on average ${formatNumber(mean, 2)} ${what}, busiest second ${formatClock(busiestAt)}`;
  const summary = `${capitalize(what)} per second over ${formatClock(clean.length)}: ${figures}.`;

  return (
    <figure className="chart">
      <div ref={frameRef} className="chart__frame">
        <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-labelledby={titleId} className="chart__svg">
          <title id={titleId}>{summary}</title>
          {yTicks.map((tick) => {
            const y = PAD.top + (HEIGHT - PAD.top - PAD.bottom) * (1 - tick / top);
            return (
              <g key={tick}>
                <line x1={PAD.left} x2={width - PAD.right} y1={y} y2={y} className="chart__grid" />
                <text x={PAD.left - 6} y={y + 4} className="chart__label" textAnchor="end">
                  {formatNumber(tick)}
                </text>
              </g>
            );
          })}
          {xTicks.map((s) => (
            <text key={s} x={points[s][0]} y={HEIGHT - 8} className="chart__label" textAnchor={s === 0 ? "start" : "middle"}>
              {formatClock(s)}
            </text>
          ))}
          <path d={area} className="chart__area" />
          <path d={line} className="chart__line" />
          {busiest > 0 && <circle cx={points[busiestAt][0]} cy={points[busiestAt][1]} r={4} className="chart__peak" />}
          <text x={4} y={12} className="chart__label">
            people
          </text>
        </svg>
      </div>
      <figcaption className="chart__caption">
        {peak > 0 ? `Most at once ${formatNumber(peak, 0)} · on average ${formatNumber(mean, 2)} ${what} · busiest second ${formatClock(busiestAt)}` : nobody}
      </figcaption>
      <details className="chart__table">
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Second</th>
                <th scope="col">{capitalize(what)} (average of the second)</th>
              </tr>
            </thead>
            <tbody>
              {clean.map((v, i) => (
                <tr key={i}>
                  <td>{formatClock(i)}</td>
                  <td>{formatNumber(v, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
