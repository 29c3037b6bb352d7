import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openStore } from "../local-store.ts";
import { openRemoteStore, remoteRunnerUrl } from "../remote-store.ts";
import { pushModel } from "../../runner/distribution/push-model.ts";
import { formatSize } from "../progress-bar.ts";

export const push: Command = {
  name: "push",
  usage: "push REF [--to REF]           upload a model to its registry (skips blobs it has)",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { to: { type: "string" } },
    });
    if (positionals.length !== 1) throw new Error("usage: hangar push REF [--to REF]");
    const onBlob = (digest: string, outcome: string) =>
      process.stderr.write(`${digest.slice(0, 19)} ${outcome}\n`);
    // On a remote runner, the runner uploads from its store with its own registry credentials.
    const r = remoteRunnerUrl()
      ? await (await openRemoteStore()).push(positionals[0]!, values.to, onBlob)
      : await pushModel(openStore(), positionals[0]!, { target: values.to, onBlob });
    console.log(
      `pushed ${r.ref} ${r.digest}: ${r.blobs.uploaded} uploaded (${formatSize(r.blobs.uploadedBytes)}), ` +
        `${r.blobs.exists} already there, ${r.blobs.mounted} mounted`,
    );
    return 0;
  },
};
