import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, jobIdOf, register, snap, test, uniqueEmail, watchJobFinish } from "./fixtures";

const BACKEND = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..", "backend");

/** Upload the test video as a heatmap job, give it two walkers (tests/footfall.py, the test detector finds nobody). */
async function heatmapWithWalkers(page: Page, name: string): Promise<string> {
  await page.goto("/new/heatmap");
  await page.getByTestId("file-input").setInputFiles({ name, mimeType: "video/mp4", buffer: readFileSync(process.env.E2E_VIDEO!) });
  await page.getByLabel("Frames analysed per second").fill("5");
  await page.getByRole("button", { name: "Upload and start" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await watchJobFinish(page);
  const id = jobIdOf(page);
  execFileSync(process.env.E2E_PYTHON!, ["-m", "tests.footfall", path.join(process.env.E2E_HEATMAPS_DIR!, id, "tracks.npz")], { cwd: BACKEND });
  return id;
}

test("compare: two heatmaps picked from the history, on one scale, with the three views and the legends", async ({ page }) => {
  test.skip(
    !process.env.E2E_VIDEO || !process.env.E2E_HEATMAPS_DIR || !process.env.E2E_PYTHON,
    "run through scripts/e2e-stack.sh (a private stack whose files it can reach)",
  );
  await register(page, uniqueEmail("compare"));
  const a = await heatmapWithWalkers(page, "monday.mp4");
  const b = await heatmapWithWalkers(page, "tuesday.mp4");
  // b's heat drawn over its first 6 s only: the same person-seconds in less time, more per second
  const redrawn = await page.request.post(`/api/jobs/${b}/render`, { data: { t_end: 6 }, headers: { Origin: new URL(page.url()).origin } });
  expect(redrawn.ok()).toBeTruthy();

  await page.goto("/");
  await page.getByRole("link", { name: "Compare heatmaps" }).click();
  await expect(page).toHaveURL(/\/compare$/);
  await page.getByLabel("Heatmap A").selectOption(a);
  await page.getByLabel("Heatmap B").selectOption(b);
  await expect(page).toHaveURL(new RegExp(`/compare\\?a=${a}&b=${b}$`));

  const figures = page.getByRole("table", { name: "Figures" });
  await expect(figures).toBeVisible({ timeout: 30_000 });
  // the same two walkers: 47 samples of 0.2 s, over 10 s in a and 6 s in b
  await expect(figures.getByRole("row", { name: /^A 9\.4 0\.94 2 10/ })).toBeVisible();
  await expect(figures.getByRole("row", { name: /^B 9\.4 1\.567 2 6/ })).toBeVisible();
  await expect(page.getByTestId("compare-difference")).toHaveText("+0.627");
  for (const image of await page.getByRole("img", { name: /on the shared scale/ }).all()) {
    await image.scrollIntoViewIfNeeded();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(320);
  }
  await expect(page.getByTestId("compare-legend")).toBeVisible();
  await expect(page.getByTestId("compare-difference-legend")).toBeVisible();
  await snap(page, "compare");
});
