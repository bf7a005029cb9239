import { describe, expect, it } from "vitest";
import { formatBytes, formatClock, formatDuration, formatNumber, formatPercent, formatRelative, formatSpeed, formatUploadProgress } from "./format";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [512, "512 B"],
    [1536, "1.5 KB"],
    [10 * 1024 * 1024, "10.0 MB"],
    [150 * 1024 * 1024, "150 MB"],
    [3.25 * 1024 ** 3, "3.3 GB"],
    [-1, "–"],
  ])("%d → %s", (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe("formatUploadProgress", () => {
  it("shows bytes of total, speed, percent and time left", () => {
    const text = formatUploadProgress({ loaded: 5 * 1024 * 1024, total: 20 * 1024 * 1024, elapsedMs: 2000 });
    expect(text).toEqual({
      fraction: 0.25,
      percent: "25%",
      bytes: "5.0 MB of 20.0 MB",
      speed: "2.5 MB/s",
      remaining: "about 6 s left",
    });
  });

  it("copes with an unknown total and the very first event", () => {
    expect(formatUploadProgress({ loaded: 2048, total: 0, elapsedMs: 0 })).toMatchObject({ fraction: null, bytes: "2.0 KB sent", speed: "–", remaining: "" });
  });

  it("says minutes for long uploads", () => {
    expect(formatUploadProgress({ loaded: 1024 * 1024, total: 200 * 1024 * 1024, elapsedMs: 1000 }).remaining).toBe("about 4 min left");
  });
});

describe("durations and numbers", () => {
  it.each([
    [850, "850 ms"],
    [1234, "1.23 s"],
    [12_345, "12.3 s"],
    [245_000, "4 min 05 s"],
    [3_720_000, "1 h 02 min"],
    [null, "–"],
  ])("formatDuration(%s) = %s", (ms, text) => expect(formatDuration(ms)).toBe(text));

  it("formats clocks, percentages and speeds", () => {
    expect(formatClock(42)).toBe("0:42");
    expect(formatClock(725)).toBe("12:05");
    expect(formatClock(3723)).toBe("1:02:03");
    expect(formatPercent(0.456)).toBe("46%");
    expect(formatPercent(1.7)).toBe("100%");
    expect(formatSpeed(0)).toBe("–");
    expect(formatNumber(2.5)).toBe("2.5");
    expect(formatNumber(undefined)).toBe("–");
  });

  it("says how long ago", () => {
    const now = Date.parse("2026-01-10T12:00:00Z");
    expect(formatRelative("2026-01-10T11:59:50Z", now)).toBe("just now");
    expect(formatRelative("2026-01-10T11:55:00Z", now)).toBe("5 min ago");
    expect(formatRelative("2026-01-10T09:00:00Z", now)).toBe("3 h ago");
    expect(formatRelative("2026-01-09T10:00:00Z", now)).toBe("yesterday");
  });
});
