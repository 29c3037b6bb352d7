import { readFileSync } from "node:fs";

/** The package version, read once from package.json (found relative to this file in source and in dist). */
function readVersion(): string {
  for (const rel of ["../../package.json", "../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "hangar" && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return "0.0.0";
}

export const VERSION = readVersion();
