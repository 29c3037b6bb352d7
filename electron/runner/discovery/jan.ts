/**
 * Jan's data folder (`~/.local/share/Jan/data` on Linux, `~/Library/Application Support/Jan/data` on
 * macOS, `~/jan` before version 0.5): models in `llamacpp/models/<id>/` (model.gguf, mmproj.gguf) or,
 * in older versions, `models/<id>/`. Jan's ids are no registry names: `local/jan/<id>:<quant>`.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { quantOfFile } from "../distribution/huggingface/select.ts";
import {
  entries,
  findGgufFiles,
  groupGgufFiles,
  isDirectory,
  localName,
  projectorFor,
} from "./gguf-files.ts";
import type { FoundModel } from "./types.ts";

export function janRoots(env: NodeJS.ProcessEnv, home = homedir()): string[] {
  return [
    join(env.XDG_DATA_HOME || join(home, ".local", "share"), "Jan", "data"),
    join(home, "Library", "Application Support", "Jan", "data"),
    join(home, "jan"),
  ];
}

export async function scanJan(root: string): Promise<FoundModel[]> {
  const out: FoundModel[] = [];
  for (const modelsDir of [join(root, "llamacpp", "models"), join(root, "models")]) {
    for (const e of await entries(modelsDir)) {
      const dir = join(modelsDir, e.name);
      if (e.name.startsWith(".") || !(await isDirectory(dir))) continue;
      const { models, projectors } = groupGgufFiles(await findGgufFiles(dir, 2));
      for (const group of models) {
        // Jan names the file model.gguf: the id carries the quant.
        const quant = group.quant ?? quantOfFile(`${e.name}.gguf`);
        const parts = models.length > 1 ? [e.name, group.stem] : [e.name];
        out.push({
          ref: localName("jan", parts, quant),
          source: "jan",
          location: dir,
          ggufPaths: group.files,
          mmprojPath: projectorFor(group, projectors),
          knownDigests: {},
        });
      }
    }
  }
  return out;
}
