import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openStore } from "../local-store.ts";
import { openRemoteStore, remoteRunnerUrl } from "../remote-store.ts";
import { formatSize } from "../progress-bar.ts";

export const df: Command = {
  name: "df",
  usage: "df [--json]                   disk used by the store",
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { json: { type: "boolean" } } });
    const store = remoteRunnerUrl() ? await openRemoteStore() : openStore();
    const root = "root" in store ? store.root : `the runner at ${store.url}`;
    const u = await store.usage();
    if (values.json) {
      console.log(JSON.stringify({ root, ...u }, null, 2));
      return 0;
    }
    console.log(`store      ${root}`);
    console.log(`models     ${u.models}`);
    console.log(`blobs      ${u.blobs} (${formatSize(u.blobBytes)})`);
    console.log(
      `shared     ${formatSize(Math.max(0, u.modelBytes - u.blobBytes))} saved by storing shared blobs once`,
    );
    console.log(
      `partial    ${formatSize(u.partialBytes)} of interrupted downloads (resumed by the next pull)`,
    );
    return 0;
  },
};
