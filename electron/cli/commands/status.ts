import { runnerClient } from "../runner-client.ts";
import type { RunnerStatus } from "../../contract/api.ts";
import type { Command } from "../command.ts";

export const status: Command = {
  name: "status",
  usage: "status                        is the runner up, and what does it hold",
  async run() {
    const client = await runnerClient();
    let s: RunnerStatus;
    try {
      s = await client.json<RunnerStatus>("/hangar/status");
    } catch (error) {
      console.log(`not running (${(error as Error).message})`);
      return 1;
    }
    console.log(`state:    ${s.state}`);
    console.log(`version:  ${s.version}`);
    console.log(`url:      ${s.url ?? client.url}`);
    console.log(`busy:     ${s.busy}`);
    console.log(`loaded:   ${s.loadedModels.length ? s.loadedModels.join(", ") : "none"}`);
    console.log(`backend:  ${s.backend ?? "not loaded yet"}`);
    return 0;
  },
};
