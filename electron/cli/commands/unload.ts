import { parseArgs } from "node:util";
import { runnerClient } from "../runner-client.ts";
import type { Command } from "../command.ts";

export const unload: Command = {
  name: "unload",
  usage: "unload REF|--all              free a loaded model's memory",
  async run(argv) {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { all: { type: "boolean" } },
    });
    if (!values.all && positionals.length !== 1) {
      process.stderr.write("usage: hangar unload REF|--all\n");
      return 2;
    }
    const client = await runnerClient();
    const body = values.all ? { all: true } : { model: positionals[0] };
    const { loaded } = await client.json<{ loaded: string[] }>("/hangar/unload", {
      method: "POST",
      body: JSON.stringify(body),
    });
    console.log(values.all ? "unloaded every model" : `unloaded ${positionals[0]}`);
    if (loaded.length) console.log(`still loaded: ${loaded.join(", ")}`);
    return 0;
  },
};
