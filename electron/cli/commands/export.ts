import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openStore } from "../local-store.ts";
import { formatSize } from "../progress-bar.ts";
import { exportToOllama } from "../../runner/discovery/ollama-export.ts";

export const exportCommand: Command = {
  name: "export",
  usage: "export --to ollama REF        let Ollama run a model of Hangar's store (OLLAMA_MODELS honoured)",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { to: { type: "string" } },
    });
    if (values.to !== "ollama" || positionals.length !== 1)
      throw new Error("usage: hangar export --to ollama REF");
    const r = await exportToOllama(openStore(), positionals[0]!, process.env);
    console.log(`${r.name} (${r.manifestPath}): ${formatSize(r.copiedBytes)} copied`);
    return 0;
  },
};
