import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openLibrary, interruptSignal } from "../local-store.ts";
import { progressRenderer, formatSize } from "../progress-bar.ts";
import { runnerClient } from "../runner-client.ts";
import { remoteRunnerUrl } from "../remote-store.ts";
import { pullThroughRunner, runnerAnswers } from "../runner-pull.ts";
import type { PullProgress } from "../../runner/models.ts";

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
    const progress = progressRenderer();
    const { signal, dispose } = interruptSignal();
    try {
      const client = await runnerClient();
      const onProgress = (p: PullProgress) => progress.update(p);
      // With a runner up, the pull is the runner's (the app shows it, the runner serves the model); without
      // one, or with --parts (a setting of this process's downloader), it runs here.
      const model: { ref: string; digest: string; size: number; source?: string; location?: string } =
        // A runner named by HANGAR_URL or --url always pulls itself: this computer's store stays as it is.
        remoteRunnerUrl() !== undefined || (parts === undefined && (await runnerAnswers(client)))
          ? await pullThroughRunner(client, positionals[0]!, { signal, onProgress })
          : await (await openLibrary()).pull(positionals[0]!, { signal, parts, onProgress });
      progress.end();
      console.log(`${model.ref} ${model.digest} ${formatSize(model.size)}`);
      if (model.location !== undefined)
        console.log(
          `already on this computer (${model.source}, ${model.location}): used in place, 0 bytes downloaded`,
        );
      return 0;
    } finally {
      dispose();
    }
  },
};
