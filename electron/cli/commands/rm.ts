import type { Command } from "../command.ts";
import { openLibrary } from "../local-store.ts";
import { openRemoteStore, remoteRunnerUrl } from "../remote-store.ts";
import { canonicalReference } from "../../runner/artifact/reference.ts";
import { formatSize } from "../progress-bar.ts";

export const rm: Command = {
  name: "rm",
  usage: "rm REF...                     remove models (and blobs nothing else uses)",
  async run(argv) {
    if (argv.length === 0) throw new Error("usage: hangar rm REF...");
    const remote = remoteRunnerUrl() ? await openRemoteStore() : null;
    const library = remote ?? (await openLibrary());
    let failed = 0;
    for (const ref of argv) {
      try {
        await library.remove(ref);
        console.log(`removed ${canonicalReference(ref)}`);
      } catch (err) {
        process.stderr.write(`hangar: ${(err as Error).message}\n`);
        failed++;
      }
    }
    const usage = await (remote ?? (library as Awaited<ReturnType<typeof openLibrary>>).store).usage();
    console.log(`${usage.models} models, ${formatSize(usage.blobBytes)} in the store`);
    return failed ? 1 : 0;
  },
};
