// Small, pure formatting helpers: numbers and times as people read them.

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 1536 → "1.5 KB" (powers of 1024, one decimal from KB up, none below 10 of a unit past 100). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "–";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const digits = value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Bytes per second → "2.4 MB/s". */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return "–";
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Milliseconds → "850 ms", "12.3 s", "4 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Seconds of video → "0:42", "12:05", "1:02:03". */
export function formatClock(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return "–";
  const s = Math.floor(totalSeconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** 0.4567 → "46%" (clamped to 0–100). */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return "0%";
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`;
}

export interface UploadSnapshot {
  loaded: number;
  /** 0 when the browser cannot tell the total. */
  total: number;
  /** Milliseconds since the upload started. */
  elapsedMs: number;
}

export interface UploadProgressText {
  /** 0–1, or null when unknown. */
  fraction: number | null;
  percent: string;
  /** "12.5 MB of 40.0 MB" */
  bytes: string;
  /** "3.1 MB/s" */
  speed: string;
  /** "about 9 s left", or "" when not known yet. */
  remaining: string;
}

/** Everything the upload progress bar shows, from bytes sent and time spent. */
export function formatUploadProgress({ loaded, total, elapsedMs }: UploadSnapshot): UploadProgressText {
  const known = total > 0;
  const fraction = known ? Math.min(1, loaded / total) : null;
  const rate = elapsedMs > 0 ? (loaded * 1000) / elapsedMs : 0;
  let remaining = "";
  if (known && rate > 0 && loaded < total && elapsedMs >= 500) {
    const secondsLeft = (total - loaded) / rate;
    remaining = secondsLeft < 60 ? `about ${Math.max(1, Math.ceil(secondsLeft))} s left` : `about ${Math.ceil(secondsLeft / 60)} min left`;
  }
  return {
    fraction,
    percent: fraction === null ? "" : formatPercent(fraction),
    bytes: known ? `${formatBytes(loaded)} of ${formatBytes(total)}` : `${formatBytes(loaded)} sent`,
    speed: formatSpeed(rate),
    remaining,
  };
}

/** An ISO timestamp as a short local date and time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "–";
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", or a date past a week. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "–";
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return "–";
  const seconds = Math.round((now - time) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 7) return days === 1 ? "yesterday" : `${days} days ago`;
  return formatDateTime(iso);
}

/** A number with at most `digits` decimals, trailing zeros dropped: 2.50 → "2.5". */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return Number(value.toFixed(digits)).toLocaleString(undefined, { maximumFractionDigits: digits });
}
