import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect, jobIdOf, register, snap, test, uniqueEmail, watchJobFinish, WIDTHS } from "./fixtures";

const BACKEND = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..", "backend");

test.use({ hasTouch: true }); // the zone is drawn with taps, the line with the mouse

/** Click or tap at frame pixel (x, y) of the region canvas, wherever it is drawn and at whatever size. */
async function clickFrame(page: Page, canvas: Locator, [x, y]: [number, number], how: "mouse" | "touch" = "mouse") {
  const box = (await canvas.boundingBox())!;
  const [px, py] = [box.x + (x / 320) * box.width, box.y + (y / 240) * box.height];
  await (how === "touch" ? page.touchscreen.tap(px, py) : page.mouse.click(px, py));
}

async function uploadHeatmapJob(page: Page): Promise<string> {
  const video = process.env.E2E_VIDEO!;
  await page.goto("/new/heatmap");
  await page.getByTestId("file-input").setInputFiles({ name: "floor.mp4", mimeType: "video/mp4", buffer: readFileSync(video) });
  await page.getByLabel("Frames analysed per second").fill("5");
  await page.getByRole("button", { name: "Upload and start" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await watchJobFinish(page);
  return jobIdOf(page);
}

test("footfall: draw a zone and a line on the frame, measure, read the figures, copy them to another job", async ({ page }) => {
  const heatmaps = process.env.E2E_HEATMAPS_DIR;
  test.skip(!process.env.E2E_VIDEO || !heatmaps || !process.env.E2E_PYTHON, "run through scripts/e2e-stack.sh (a private stack whose files it can reach)");
  await register(page, uniqueEmail("footfall"));
  const id = await uploadHeatmapJob(page);
  // The untrained test detector finds nobody: give the job tracks with known answers (tests/footfall.py).
  execFileSync(process.env.E2E_PYTHON!, ["-m", "tests.footfall", path.join(heatmaps!, id, "tracks.npz")], { cwd: BACKEND });

  const canvas = page.getByTestId("region-canvas");
  await canvas.scrollIntoViewIfNeeded();
  await page.getByRole("button", { name: "Draw a zone (click corners)" }).click();
  for (const corner of [
    [100, 100],
    [200, 100],
    [200, 200],
    [100, 200],
    [100, 100], // back on the first corner: closes the zone
  ] as [number, number][]) {
    await clickFrame(page, canvas, corner, "touch");
  }
  await page.getByRole("button", { name: "Draw a line (2 clicks)" }).click();
  await clickFrame(page, canvas, [250, 20]);
  await clickFrame(page, canvas, [250, 220]);
  await page.getByRole("textbox", { name: "Name of zone 1" }).fill("Entrance");
  await page.getByRole("textbox", { name: "Name of line 2" }).fill("Door");
  await expect(page.getByRole("button", { name: /Line Door, point 2 at 250, 220/ })).toBeVisible();
  await page.getByRole("button", { name: "Measure" }).click();

  const zones = page.getByRole("table", { name: "Zones" });
  await expect(zones.getByRole("row", { name: /Entrance/ }).getByRole("cell")).toHaveText(["1", "1", "2", "2 s", "2 s", "2 s", "2 s", "1", "0.2"]);
  await expect(page.getByRole("table", { name: "Lines" }).getByRole("row", { name: /Door/ }).getByRole("cell")).toHaveText(["1", "1"]);
  await expect(page.getByRole("img", { name: /People inside Entrance per second/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Download zones.csv" })).toBeVisible();
  const csv = await page.request.get(`/api/jobs/${id}/files/zones.csv`);
  expect(await csv.text()).toBe("track_id,zone,enter_s,exit_s,dwell_s\n1,Entrance,1.000,2.800,2.000\n");
  await page.getByRole("toolbar", { name: "Zones and lines" }).getByRole("radio", { name: "Heatmap" }).check();
  await canvas.screenshot({ path: path.join(process.env.SCREENSHOT_DIR || path.resolve(BACKEND, "..", "screenshots"), "footfall-canvas.png") });
  await snap(page, "footfall");
  await page.setViewportSize(WIDTHS.phone);
  const tooWide = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll(".regions *"))
        .filter((element) => element.getBoundingClientRect().right > 390 && !element.closest("svg, .table-scroll"))
        .map((element) => `${element.tagName}.${element.className}`),
    );
  await expect.poll(tooWide, { message: "no sideways scrolling on a phone" }).toEqual([]);
  await page.setViewportSize(WIDTHS.desktop);

  // The keyboard moves a vertex: 10 px right with Shift.
  const vertex = page.getByRole("button", { name: /Zone Entrance, point 2 at 200, 100/ });
  await vertex.focus();
  await page.keyboard.press("Shift+ArrowRight");
  await expect(page.getByRole("button", { name: /Zone Entrance, point 2 at 210, 100/ })).toBeFocused();

  // Another job of the same camera takes the same zones.
  const second = await uploadHeatmapJob(page);
  expect(second).not.toBe(id);
  await page.getByRole("combobox", { name: "Copy zones from" }).selectOption(id);
  await expect(page.getByText(/Copied 1 zone\(s\) and 1 line\(s\)/)).toBeVisible();
  await page.getByRole("button", { name: "Measure" }).click();
  await expect(page.getByRole("table", { name: "Lines" }).getByRole("row", { name: /Door/ }).getByRole("cell")).toHaveText(["0", "0"]);
});
