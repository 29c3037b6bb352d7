import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openStore } from "../local-store.ts";

export const fsck: Command = {
  name: "fsck",
  usage: "fsck [--repair]               re-hash every blob; --repair removes broken ones",
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { repair: { type: "boolean" } } });
    const r = await openStore().fsck({ repair: values.repair });
    for (const b of r.broken)
      console.log(`broken ${b.digest} (content hashes to ${b.actual})${values.repair ? ", removed" : ""}`);
    for (const m of r.brokenModels)
      console.log(`model ${m} needs a blob that is missing or broken: pull it again`);
    console.log(`checked ${r.checked} blobs: ${r.broken.length} broken`);
    return r.broken.length || r.brokenModels.length ? 1 : 0;
  },
};
