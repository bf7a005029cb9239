import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { boundaryViolations } from "./check-boundaries.mjs";

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A src/ folder holding `files` (path → source). */
function srcTree(files: Record<string, string>): string {
  root = mkdtempSync(path.join(tmpdir(), "boundaries-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe("boundaryViolations", () => {
  it("finds none in the SPA's own src/", () => {
    expect(boundaryViolations(path.join(path.dirname(fileURLToPath(import.meta.url)), "../src"))).toEqual([]);
  });

  it("lets a feature use the shared layers, its own folder and packages", () => {
    const src = srcTree({
      "features/jobs/JobPage.tsx": `import { api } from "../../api/client";\nimport { Alert } from "../../components/ui/Alert";
import { useJob } from "../../hooks/useJobs";\nimport { formatBytes } from "../../lib/format";\nimport { JobCard } from "./JobCard";
import { x } from "./parts/x";\nimport { useQuery } from "@tanstack/react-query";\nimport "./jobs.css";`,
      "features/jobs/JobPage.test.tsx": `import { routes } from "../../router";\nimport { makeJob } from "../../test/fixtures";`,
      "app/JobResult.tsx": `import { HeatmapResult } from "../features/heatmap/HeatmapResult";`,
      "router.tsx": `import { JobPage } from "./features/jobs/JobPage";`,
    });
    expect(boundaryViolations(src)).toEqual([]);
  });

  it("refuses a feature importing another feature, app/ or a root module; shared layers importing a feature", () => {
    const src = srcTree({
      "features/jobs/JobPage.tsx": `import { HeatmapResult } from "../heatmap/HeatmapResult";\nimport { AppLayout } from "../../app/AppLayout";
const lazyDepth = () => import("../depth/DepthResult");`,
      "features/jobs/parts/Deep.tsx": `export { routes } from "../../../router";`,
      "features/jobs/JobCard.tsx": `import { makeJob } from "../../test/fixtures";`,
      "components/Badge.tsx": `import { KIND_LABELS } from "../features/jobs/JobCard";`,
      "lib/text.ts": `import { AppLayout } from "../app/AppLayout";`,
      "hooks/useJobs.ts": `import type { Job } from "../features/jobs/types";`,
    });
    const found = boundaryViolations(src).map(({ file, specifier }) => `${file} → ${specifier}`);
    expect(found.sort()).toEqual(
      [
        "features/jobs/JobPage.tsx → ../heatmap/HeatmapResult",
        "features/jobs/JobPage.tsx → ../../app/AppLayout",
        "features/jobs/JobPage.tsx → ../depth/DepthResult",
        "features/jobs/parts/Deep.tsx → ../../../router",
        "features/jobs/JobCard.tsx → ../../test/fixtures",
        "components/Badge.tsx → ../features/jobs/JobCard",
        "lib/text.ts → ../app/AppLayout",
        "hooks/useJobs.ts → ../features/jobs/types",
      ].sort(),
    );
    expect(boundaryViolations(src).find((v) => v.file === "features/jobs/JobPage.tsx")?.reason).toBe("a feature imports no other feature");
  });
});
