#!/usr/bin/env node
// The `hangar` command: runs the built CLI (npm run build produces dist/cli/hangar.js).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/cli/hangar.js", import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write("hangar: not built yet. Run `npm run build` first.\n");
  process.exit(1);
}
await import(built.href);
