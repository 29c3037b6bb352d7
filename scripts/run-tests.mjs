// Runs the test suites with node's test runner (TypeScript through tsx).
//   unit: every *.test.ts next to the code (electron/, renderer/, testkit/, scripts/, deploy/)
//   e2e:  every e2e/*.spec.ts (needs `npm run build` first)
//   container: every deploy/**/*.container.ts (builds and runs the container image; needs buildah)
// Extra arguments are passed through as file filters: `npm run test:unit -- store` runs files matching "store".
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const [suite, ...filters] = process.argv.slice(2);
const suites = {
  unit: { roots: ["electron", "renderer", "testkit", "scripts", "deploy"], pattern: /\.test\.tsx?$/ },
  e2e: { roots: ["e2e"], pattern: /\.spec\.tsx?$/ },
  container: { roots: ["deploy"], pattern: /\.container\.ts$/ },
};
if (!(suite in suites)) {
  console.error(`unknown suite ${suite} (known: ${Object.keys(suites).join(", ")})`);
  process.exit(1);
}
const { roots, pattern } = suites[suite];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path, out);
    } else if (pattern.test(name)) out.push(path);
  }
  return out;
}

const files = roots
  .flatMap((r) => walk(r))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no ${suite} test files found`);
  process.exit(1);
}
const concurrency = suite === "unit" ? "2" : "1";
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files],
  { stdio: "inherit", env: { ...process.env, HANGAR_TEST: "1" } },
);
process.exit(result.status ?? 1);
