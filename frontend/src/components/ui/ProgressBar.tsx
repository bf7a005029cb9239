import { formatPercent } from "../../lib/format";

interface Props {
  /** 0–1, or null for "working, amount unknown". */
  value: number | null;
  label: string;
  /** Text beside the bar; defaults to the percentage. */
  valueText?: string;
  tone?: "default" | "muted";
}

export function ProgressBar({ value, label, valueText, tone = "default" }: Props) {
  const percent = value === null ? undefined : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className={`progress progress--${tone}`}>
      <div
        className={`progress__track${value === null ? " progress__track--indeterminate" : ""}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={valueText ?? (value === null ? "working" : formatPercent(value))}
      >
        <div className="progress__fill" style={{ width: value === null ? undefined : `${percent}%` }} />
      </div>
      <span className="progress__text">{valueText ?? (value === null ? "" : formatPercent(value))}</span>
    </div>
  );
}
