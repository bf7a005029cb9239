// The SPA's import boundaries (as bulletproof-react's `import/no-restricted-paths`), checked by `npm run lint`:
//   features/<name>/ imports only api/, components/, hooks/, lib/ and its own folder: never another feature, nor app/;
//   api/, components/, hooks/ and lib/ import no feature and nothing of app/;
//   a feature's tests may also use the test helpers (test/) and mount the whole app (router.tsx).
// Only app/ and the files at the root of src/ (main.tsx, router.tsx, …) put the features together.
//   node scripts/check-boundaries.mjs [src folder]   prints each import that crosses a boundary; exit 1 if any
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const SHARED = ["api", "components", "hooks", "lib"];
const TEST_ONLY = ["test", "router"];
const SOURCE = /\.(ts|tsx|mts)$/;
const TEST = /\.test\.(ts|tsx)$/;

/** Where a path under src/ belongs: `features/<name>`, a shared layer, `app`, or the module's name at the root. */
function areaOf(relative) {
  const [top, second] = relative.split("/");
  if (top === "features" && second) return `features/${second}`;
  return relative.includes("/") ? top : top.replace(/\.[^.]+$/, "");
}

function sourceFiles(folder) {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Why `from` may not import `to` (areas), or null when it may. */
function refusal(from, to, isTest) {
  if (from === to) return null;
  if (from.startsWith("features/")) {
    if (SHARED.includes(to) || (isTest && TEST_ONLY.includes(to))) return null;
    return to.startsWith("features/") ? "a feature imports no other feature" : `a feature imports only ${SHARED.join("/, ")}/ and its own folder`;
  }
  if (SHARED.includes(from) && (to.startsWith("features/") || to === "app")) return `${from}/ imports no feature and nothing of app/`;
  return null;
}

/** Every import under `srcDir` that crosses a boundary: `{ file, specifier, reason }`, paths relative to `srcDir`. */
export function boundaryViolations(srcDir) {
  const violations = [];
  for (const file of sourceFiles(srcDir)) {
    const relative = path.relative(srcDir, file).split(path.sep).join("/");
    const from = areaOf(relative);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith(".")) continue; // a package
      const target = path
        .relative(srcDir, path.resolve(path.dirname(file), specifier))
        .split(path.sep)
        .join("/");
      const reason = target.startsWith("..") ? "imports from outside src/" : refusal(from, areaOf(target), TEST.test(relative));
      if (reason) violations.push({ file: relative, specifier, reason });
    }
  }
  return violations;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const srcDir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "../src"));
  const violations = boundaryViolations(srcDir);
  for (const { file, specifier, reason } of violations) console.error(`src/${file}: imports "${specifier}": ${reason}`);
  if (violations.length > 0) {
    console.error(`${violations.length} import(s) cross the SPA's boundaries (scripts/check-boundaries.mjs says which may import what).`);
    process.exit(1);
  }
  console.log("src/: every import keeps to the SPA's boundaries.");
}
