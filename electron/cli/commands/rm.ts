import type { Command } from "../command.ts";
import { openLibrary } from "../local-store.ts";
import { formatSize } from "../progress-bar.ts";

export const rm: Command = {
  name: "rm",
  usage: "rm REF...                     remove models (and blobs nothing else uses)",
  async run(argv) {
    if (argv.length === 0) throw new Error("usage: hangar rm REF...");
    const library = await openLibrary();
    const store = library.store;
    let failed = 0;
    for (const ref of argv) {
      try {
        await library.remove(ref);
        console.log(`removed ${store.key(ref)}`);
      } catch (err) {
        process.stderr.write(`hangar: ${(err as Error).message}\n`);
        failed++;
      }
    }
    const usage = await store.usage();
    console.log(`${usage.models} models, ${formatSize(usage.blobBytes)} in the store`);
    return failed ? 1 : 0;
  },
};
