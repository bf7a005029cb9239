import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, jobIdOf, register, snap, test, uniqueEmail, watchJobFinish } from "./fixtures";

const BACKEND = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..", "backend");

test("heat over time: the slider scrubs the heat through the video, Play runs it, the recap plays", async ({ page }) => {
  const heatmaps = process.env.E2E_HEATMAPS_DIR;
  test.skip(!process.env.E2E_VIDEO || !heatmaps || !process.env.E2E_PYTHON, "run through scripts/e2e-stack.sh (a private stack whose files it can reach)");
  await register(page, uniqueEmail("time"));
  await page.goto("/new/heatmap");
  await page.getByTestId("file-input").setInputFiles({ name: "floor.mp4", mimeType: "video/mp4", buffer: readFileSync(process.env.E2E_VIDEO!) });
  await page.getByLabel("Frames analysed per second").fill("5");
  await page.getByRole("button", { name: "Upload and start" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await watchJobFinish(page);
  // The untrained test detector finds nobody: give the job two walkers (tests/footfall.py), then redraw.
  execFileSync(process.env.E2E_PYTHON!, ["-m", "tests.footfall", path.join(heatmaps!, jobIdOf(page), "tracks.npz")], { cwd: BACKEND });
  const redrawn = await page.request.post(`/api/jobs/${jobIdOf(page)}/render`, { data: {}, headers: { Origin: new URL(page.url()).origin } });
  expect(redrawn.ok()).toBeTruthy();
  await page.reload();

  const slider = page.getByTestId("time-slider");
  await slider.scrollIntoViewIfNeeded();
  await expect(slider).toHaveAttribute("max", "9"); // 10 s of tracks in 1 s slices
  const clock = page.getByTestId("time-clock");
  await expect(clock).toHaveText("0:03 of 0:03"); // the whole video first (the clock stops at the video's 3 s)
  const canvas = page.getByTestId("heat-over-time");
  const heated = () => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  const whole = await heated();
  await slider.fill("1");
  await expect(clock).toHaveText("0:02 of 0:03");
  await expect(page.getByRole("img", { name: "Heat accumulated up to slice 2 of 10" })).toBeVisible();
  expect(await heated()).not.toBe(whole); // less heat after 2 s than after 10 s
  await snap(page, "heat-over-time");

  await page.getByRole("button", { name: "Play" }).click();
  await expect(page.getByRole("img", { name: "Heat accumulated up to slice 10 of 10" })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole("button", { name: "Play" })).toBeVisible();

  const recap = page.getByTestId("recap-video");
  const played = await recap.evaluate(async (video: HTMLVideoElement) => {
    video.muted = true;
    await video.play();
    await new Promise((resolve) => setTimeout(resolve, 800));
    return { duration: video.duration, time: video.currentTime, width: video.videoWidth, error: video.error?.code ?? null };
  });
  expect(played.error).toBeNull();
  expect(played.width).toBeGreaterThan(0);
  expect(played.duration).toBeGreaterThan(0);
  expect(played.duration).toBeLessThanOrEqual(30);
  expect(played.time).toBeGreaterThan(0);
});
