import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const GENERATED_VIDEO = path.resolve(here, "..", "test-results", "e2e-people.mp4");
const TRUNCATED_VIDEO = path.resolve(here, "..", "test-results", "e2e-cut.avi");

// A few seconds of "people" (dark figures on a light floor) walking across the frame, written with
// OpenCV from the backend's virtual environment. Untrained detectors may find nobody; that's fine for
// the web flow: the job must still finish and show its pages. The same scene as an MJPG AVI cut at 60 % of its
// bytes is a truncated video: its header still counts 30 frames, fewer decode.
const SCRIPT = `
import sys, numpy as np, cv2
out, cut = sys.argv[1], sys.argv[2]
w, h, fps, seconds = 320, 240, 10, 3
writer = cv2.VideoWriter(out, cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
avi = cv2.VideoWriter(cut, cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
for i in range(fps * seconds):
    frame = np.full((h, w, 3), 200, np.uint8)
    frame[h // 2:] = 170
    for k, (x0, y0, vx) in enumerate([(10, 120, 6), (300, 150, -5)]):
        x = int(x0 + vx * i) % w
        cv2.rectangle(frame, (x, y0 - 60), (x + 18, y0), (40 + 60 * k, 40, 90), -1)
        cv2.circle(frame, (x + 9, y0 - 70), 9, (60, 70, 120), -1)
    writer.write(frame)
    avi.write(frame)
writer.release()
avi.release()
data = open(cut, "rb").read()
open(cut, "wb").write(data[: int(len(data) * 0.6)])
`;

export default function globalSetup() {
  if (process.env.E2E_VIDEO) return;
  const candidates = [process.env.E2E_PYTHON, path.resolve(here, "..", "..", ".venv", "bin", "python"), "python3"].filter(Boolean) as string[];
  mkdirSync(path.dirname(GENERATED_VIDEO), { recursive: true });
  for (const python of candidates) {
    try {
      execFileSync(python, ["-c", SCRIPT, GENERATED_VIDEO, TRUNCATED_VIDEO], { stdio: "pipe", timeout: 60_000 });
      if (existsSync(GENERATED_VIDEO)) {
        process.env.E2E_VIDEO = GENERATED_VIDEO;
        process.env.E2E_TRUNCATED_VIDEO = TRUNCATED_VIDEO;
        return;
      }
    } catch {
      /* try the next interpreter */
    }
  }
  console.warn("global-setup: no E2E_VIDEO and no Python with OpenCV to generate one; the heatmap tests will be skipped");
}
