import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openStore, interruptSignal } from "../local-store.ts";
import { progressRenderer, formatSize } from "../progress-bar.ts";
import { pullModel } from "../../runner/distribution/pull.ts";

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
    const store = openStore();
    const progress = progressRenderer();
    const { signal, dispose } = interruptSignal();
    try {
      const model = await pullModel(store, positionals[0]!, {
        signal,
        parts,
        onProgress: (p) => progress.update(p),
      });
      progress.end();
      console.log(`${model.ref} ${model.digest} ${formatSize(model.size)}`);
      return 0;
    } finally {
      dispose();
    }
  },
};
