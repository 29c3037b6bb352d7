/** Looks a command up on PATH the way a shell would (PATHEXT on Windows). */
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";

export async function findExecutable(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const dirs = (env.PATH ?? "").split(delimiter).filter(Boolean);
  const suffixes = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of dirs)
    for (const suffix of suffixes) {
      const candidate = join(dir, name + suffix);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  return null;
}
