import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openLibrary } from "../local-store.ts";
import { openRemoteStore, remoteRunnerUrl } from "../remote-store.ts";
import { formatSize } from "../progress-bar.ts";

export const ls: Command = {
  name: "ls",
  usage:
    "ls [--json]                   list models: Hangar's store, then other tools' (SOURCE), used in place",
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { json: { type: "boolean" } } });
    const models = remoteRunnerUrl()
      ? (await (await openRemoteStore()).list()).sort((a, b) => a.ref.localeCompare(b.ref))
      : await (await openLibrary()).list();
    if (values.json) {
      console.log(JSON.stringify(models, null, 2));
      return 0;
    }
    const rows = [
      ["MODEL", "SOURCE", "DIGEST", "SIZE", "FORMAT", "ARCH", "QUANT", "PARAMS"],
      ...models.map((m) => [
        m.ref,
        // Models in Hangar's store say "hangar"; others name the tool whose folder they are read from.
        m.location === undefined ? "hangar" : m.source,
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
