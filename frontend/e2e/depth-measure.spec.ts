import { decode } from "fast-png";
import { expect, jobIdOf, makePng, register, snap, test, uniqueEmail, watchJobFinish } from "./fixtures";

interface DepthJson {
  units: string;
  normalization: string;
  png16: { near: number; far: number; min_m: number; max_m: number };
}

test("depth in metres: one range per job, the value under the pointer, the legend and the 3D view", async ({ page }) => {
  await register(page, uniqueEmail("measure"));
  await page.goto("/new/depth");
  await page.getByTestId("file-input").setInputFiles([
    { name: "yard.png", mimeType: "image/png", buffer: makePng(200, 150) },
    { name: "hall.png", mimeType: "image/png", buffer: makePng(120, 160) },
  ]);
  await page.getByLabel("Colour and 16-bit range").selectOption("job");
  await page.getByLabel("Field of view (degrees)").fill("75");
  await page.getByLabel(/3D point cloud/).check();
  await snap(page, "depth-measure-upload");
  await page.getByRole("button", { name: "Upload 2 files and start" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const id = jobIdOf(page);
  await watchJobFinish(page);

  // Both images' JSON state the same 16-bit range: the job's.
  const job = await (await page.request.get(`/api/jobs/${id}`)).json();
  expect(job.params).toMatchObject({ normalization: "job", point_cloud: true, fov_deg: 75 });
  const ranges = await Promise.all(
    ["yard", "hall"].map(async (stem) => ((await (await page.request.get(`/api/jobs/${id}/files/${stem}_depth.json`)).json()) as DepthJson).png16),
  );
  expect(ranges[0]).toEqual(ranges[1]);
  expect(ranges[0]).toMatchObject({ near: 0, far: 65535, min_m: job.summary.png16.min_m, max_m: job.summary.png16.max_m });

  // Hover the depth map: the value under the pointer, in metres, with the colour bar beside it.
  await page.getByRole("radio", { name: "Measure" }).check();
  const yard = page.locator('[data-item="yard.png"]');
  const map = yard.getByTestId("depth-inspector");
  await expect(map.getByRole("img", { name: "Depth map of yard.png" })).toHaveJSProperty("complete", true);
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6);
  await expect(yard.locator("output.depth-inspector__readout")).toHaveText(/^Depth here: -?\d+(\.\d+)? m$/);
  await expect(yard.locator(".depth-inspector__tip")).toHaveText(/^-?\d+(\.\d+)? m$/);
  await expect(yard.getByRole("figure", { name: /Colour scale from .* m \(near\) to .* m \(far\)/ })).toBeVisible();
  await snap(page, "depth-measure");

  // The 3D view loads three.js on demand and draws the cloud.
  const three = page.waitForRequest((request) => /PointCloudView.*\.js$/.test(request.url()));
  await yard.getByRole("button", { name: "3D view" }).click();
  await three;
  const cloud = yard.getByTestId("point-cloud");
  await expect(cloud).toHaveAttribute("data-state", "ready");
  await expect(yard.getByText(/^[\d,]+ points, in metres/)).toBeVisible();
  const drawn = decode(await cloud.locator("canvas").screenshot());
  const colours = new Set<number>();
  for (let i = 0; i < drawn.data.length; i += drawn.channels) colours.add((drawn.data[i] << 16) | (drawn.data[i + 1] << 8) | drawn.data[i + 2]);
  expect(colours.size, "distinct colours drawn in the 3D view").toBeGreaterThan(20);
  // Dragging turns the cloud.
  const canvas = cloud.locator("canvas");
  const before = await canvas.screenshot();
  const area = (await canvas.boundingBox())!;
  await page.mouse.move(area.x + area.width * 0.5, area.y + area.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(area.x + area.width * 0.8, area.y + area.height * 0.4, { steps: 8 });
  await page.mouse.up();
  expect(Buffer.compare(before, await canvas.screenshot()), "the view after a drag").not.toBe(0);
  const download = yard.getByRole("link", { name: "Download PLY" });
  await expect(download).toHaveAttribute("download", "yard_points.ply");
  await snap(page, "depth-measure-3d");
});
