import { parseArgs } from "node:util";
import { basename } from "node:path";
import type { Command } from "../command.ts";
import { openStore } from "../local-store.ts";
import { importGguf } from "../../runner/distribution/packaging/package-model.ts";

/** A reference from a file name: "SmolLM2-135M-Q4_K_M.gguf" → "local/smollm2-135m-q4_k_m:latest". */
export function refFromFileName(file: string): string {
  const stem = basename(file)
    .replace(/\.gguf$/i, "")
    .replace(/-\d{5}-of-\d{5}$/, "");
  const name = stem
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "")
    .replace(/[._-]{2,}/g, "-");
  return `local/${name || "model"}`;
}

export const importCommand: Command = {
  name: "import",
  usage: "import FILE.gguf [--name REF]  adopt a GGUF file (hard link when possible, else a copy)",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: "string" } },
    });
    if (positionals.length !== 1) throw new Error("usage: hangar import FILE.gguf [--name REF]");
    const file = positionals[0]!;
    const model = await importGguf(openStore(), file, values.name ?? refFromFileName(file));
    console.log(`imported ${model.ref} ${model.digest}`);
    return 0;
  },
};
