// The SPA's API types, generated from the backend's OpenAPI schema into src/api/schema.d.ts.
//   node scripts/api-types.mjs          regenerate the file (`npm run api-types`, `make api-types`)
//   node scripts/api-types.mjs --check  fail when the committed file differs from what the schema gives (`npm run lint`)
// The schema comes from the backend itself (app.openapi(), no server started), with the repo's .venv python
// (PYTHON to pick another). Settings need a database and a Redis URL to load: unused placeholders stand in, in
// development mode (production refuses placeholder secrets, and the schema is the same).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import * as prettier from "prettier";

const frontend = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repo = path.dirname(frontend);
const target = path.join(frontend, "src/api/schema.d.ts");
const relative = path.relative(repo, target);
const HEADER = `// Generated from the backend's OpenAPI schema by frontend/scripts/api-types.mjs: do not edit.
// Regenerate after changing the API: \`make api-types\` (or \`npm run api-types\` in frontend/).\n\n`;

function dumpSchema() {
  const python = process.env.PYTHON ?? path.join(repo, ".venv/bin/python");
  const folder = mkdtempSync(path.join(tmpdir(), "scenelab-openapi-"));
  const file = path.join(folder, "openapi.json");
  try {
    const run = spawnSync(python, ["-c", "import json, sys\nfrom app.main import app\njson.dump(app.openapi(), open(sys.argv[1], 'w'))", file], {
      cwd: path.join(repo, "backend"),
      env: {
        ...process.env,
        ENVIRONMENT: "development",
        DATABASE_URL: process.env.DATABASE_URL ?? "postgresql+psycopg://unused:unused@127.0.0.1:9/unused",
        REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:9/0",
      },
      encoding: "utf8",
    });
    if (run.error || run.status !== 0) {
      throw new Error(`could not read the backend's OpenAPI schema with ${python} (\`make install\` builds it):\n${run.error ?? run.stderr}`);
    }
    return JSON.parse(readFileSync(file, "utf8"));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function generate() {
  const ast = await openapiTS(dumpSchema(), { alphabetize: true });
  const options = { ...(await prettier.resolveConfig(target)), filepath: target };
  return prettier.format(HEADER + astToString(ast), options);
}

let fresh;
try {
  fresh = await generate();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {
    /* missing: reported as out of date */
  }
  if (committed !== fresh) {
    console.error(`${relative} is out of date with the backend's OpenAPI schema.`);
    console.error("Regenerate it with `make api-types` (or `npm run api-types` in frontend/), then fix what tsc reports and commit it.");
    process.exit(1);
  }
  console.log(`${relative} matches the backend's OpenAPI schema.`);
} else {
  writeFileSync(target, fresh);
  console.log(`wrote ${relative}`);
}
