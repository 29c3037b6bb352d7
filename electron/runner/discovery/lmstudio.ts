/**
 * LM Studio's models folder: `~/.lmstudio/models/<publisher>/<repo>/*.gguf` (older versions:
 * `~/.cache/lm-studio/models`). The folders are the Hugging Face repository LM Studio downloaded from,
 * so a file there is named as that pull would be, `hf.co/<publisher>/<repo>:<quant>`; folders that are
 * no valid repository name get `local/lmstudio/<publisher>/<repo>:<quant>`.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import {
  entries,
  findGgufFiles,
  groupGgufFiles,
  huggingFaceName,
  isDirectory,
  localName,
  projectorFor,
} from "./gguf-files.ts";
import type { FoundModel } from "./types.ts";

export function lmStudioRoots(_env: NodeJS.ProcessEnv, home = homedir()): string[] {
  return [join(home, ".lmstudio", "models"), join(home, ".cache", "lm-studio", "models")];
}

export async function scanLmStudio(root: string): Promise<FoundModel[]> {
  const out: FoundModel[] = [];
  for (const publisher of await entries(root)) {
    if (publisher.name.startsWith(".")) continue;
    const publisherDir = join(root, publisher.name);
    if (!(await isDirectory(publisherDir))) continue;
    for (const repo of await entries(publisherDir)) {
      const dir = join(publisherDir, repo.name);
      if (repo.name.startsWith(".") || !(await isDirectory(dir))) continue;
      const { models, projectors } = groupGgufFiles(await findGgufFiles(dir, 2));
      for (const group of models) {
        const tag = group.quant ?? group.stem;
        out.push({
          ref:
            huggingFaceName(publisher.name, repo.name, tag) ??
            localName("lmstudio", [publisher.name, repo.name], tag),
          source: "lmstudio",
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
