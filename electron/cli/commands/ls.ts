import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openStore } from "../local-store.ts";
import { formatSize } from "../progress-bar.ts";

export const ls: Command = {
  name: "ls",
  usage: "ls [--json]                   list stored models",
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { json: { type: "boolean" } } });
    const models = (await openStore().list()).sort((a, b) => a.ref.localeCompare(b.ref));
    if (values.json) {
      console.log(JSON.stringify(models, null, 2));
      return 0;
    }
    const rows = [
      ["MODEL", "DIGEST", "SIZE", "FORMAT", "ARCH", "QUANT", "PARAMS"],
      ...models.map((m) => [
        m.ref,
        m.digest.slice(7, 19),
        formatSize(m.size),
        m.format,
        m.architecture ?? "-",
        m.quantization ?? "-",
        m.parameters ?? "-",
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows)
      console.log(
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
      );
    return 0;
  },
};
