// Builds everything without an Electron binary: the Electron main process (ESM) and preload (one CJS
// file, so it works with sandbox: true), the CLI and inference worker (ESM), and the renderer (Vite).
import { build as esbuild } from "esbuild";
import { build as viteBuild } from "vite";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  packages: "external",
  logLevel: "warning",
};
const only = process.argv[2]; // optional: "node" or "renderer"

// A partial build leaves the other half of dist/ alone (Vite empties dist/renderer itself).
const stale =
  only === "renderer" ? [] : only === "node" ? ["dist/cli", "dist/runner", "dist/main"] : ["dist"];
await Promise.all(stale.map((dir) => rm(dir, { recursive: true, force: true })));
const entries = [
  { entryPoints: { "cli/hangar": "electron/cli/index.ts" }, format: "esm" },
  ...(existsSync("electron/runner/engine/worker/entry.ts")
    ? [{ entryPoints: { "runner/worker": "electron/runner/engine/worker/entry.ts" }, format: "esm" }]
    : []),
  ...(existsSync("electron/main/main.ts")
    ? [
        { entryPoints: { "main/main": "electron/main/main.ts" }, format: "esm", external: ["electron"] },
        {
          entryPoints: { "main/preload": "electron/main/preload.ts" },
          format: "cjs",
          outExtension: { ".js": ".cjs" },
          external: ["electron"],
          packages: undefined,
        },
      ]
    : []),
];
if (only !== "renderer") {
  await Promise.all(entries.map((e) => esbuild({ ...common, ...e, outdir: "dist" })));
}
if (only !== "node") {
  await viteBuild({ configFile: "renderer/vite.config.ts", logLevel: "warn" });
}
console.log("built dist/");
