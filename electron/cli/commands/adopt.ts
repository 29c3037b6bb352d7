import type { Command } from "../command.ts";
import { openLibrary } from "../local-store.ts";
import { formatSize } from "../progress-bar.ts";

export const adopt: Command = {
  name: "adopt",
  usage:
    "adopt REF...                  keep a model another tool holds in Hangar's store (reflink or verified copy)",
  async run(argv) {
    if (argv.length === 0) throw new Error("usage: hangar adopt REF...");
    const library = await openLibrary();
    let failed = 0;
    for (const ref of argv) {
      try {
        const r = await library.adopt(ref);
        const how =
          r.copiedBytes === 0
            ? "cloned by the filesystem, 0 bytes copied"
            : `${formatSize(r.copiedBytes)} copied`;
        console.log(`${r.model.ref} ${r.model.digest} ${formatSize(r.model.size)}: ${how}, sha256 verified`);
      } catch (err) {
        process.stderr.write(`hangar: ${(err as Error).message}\n`);
        failed++;
      }
    }
    return failed ? 1 : 0;
  },
};
