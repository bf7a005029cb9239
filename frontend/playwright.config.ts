import { defineConfig, devices } from "@playwright/test";

// End-to-end tests against the real running stack (`make run` in the repo root): API + worker + database.
//   E2E_BASE_URL   where the SPA and the API are served (default http://localhost:8000)
//   E2E_VIDEO      a small video for the heatmap test; without it global-setup tries to generate one
//   CHROMIUM_PATH  Debian's chromium (default /usr/bin/chromium; `apt-get install chromium`)
//   SCREENSHOT_DIR where page screenshots go (default <repo>/screenshots, git-ignored)
//   E2E_HEATMAPS_DIR, E2E_PYTHON  the stack's heatmap folder and a backend Python: the footfall test writes known
//                  tracks there (scripts/e2e-stack.sh sets both)
const baseURL = process.env.E2E_BASE_URL || "http://localhost:8000";

export default defineConfig({
  testDir: "./e2e",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL,
    viewport: { width: 1366, height: 900 },
    acceptDownloads: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  },
});
