import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openLibrary, interruptSignal } from "../local-store.ts";
import { progressRenderer, formatSize } from "../progress-bar.ts";

export const pull: Command = {
  name: "pull",
  usage: "pull REF [--parts N]          download a model (Docker Hub, any OCI registry, ollama.com, hf.co)",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { parts: { type: "string" } },
    });
    if (positionals.length !== 1) throw new Error("usage: hangar pull REF");
    const parts = values.parts === undefined ? undefined : Number(values.parts);
    if (parts !== undefined && (!Number.isInteger(parts) || parts < 1 || parts > 16))
      throw new Error("--parts must be 1..16");
    const library = await openLibrary();
    const progress = progressRenderer();
    const { signal, dispose } = interruptSignal();
    try {
      const model = await library.pull(positionals[0]!, {
        signal,
        parts,
        onProgress: (p) => progress.update(p),
      });
      progress.end();
      console.log(`${model.ref} ${model.digest} ${formatSize(model.size)}`);
      if (model.location !== undefined)
        console.log(
          `already on this computer (${model.source}, ${model.location}): used in place, 0 bytes downloaded`,
        );
      return 0;
    } finally {
      dispose();
    }
  },
};
