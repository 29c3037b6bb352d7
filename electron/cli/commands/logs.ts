import { parseArgs } from "node:util";
import { lines, runnerClient } from "../runner-client.ts";
import type { LogEntry } from "../../runner/logs/types.ts";
import type { Command } from "../command.ts";

function format(e: LogEntry): string {
  const time = new Date(e.time).toISOString().replace("T", " ").replace("Z", "");
  return `${time} ${e.level.toUpperCase().padEnd(5)} ${e.source.padEnd(6)} ${e.model ? `[${e.model}] ` : ""}${e.message}`;
}

export const logs: Command = {
  name: "logs",
  usage: "logs [-f] [--level L] [--source S] [-n N]   show the runner's logs (-f: follow)",
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        follow: { type: "boolean", short: "f" },
        level: { type: "string" },
        source: { type: "string" },
        lines: { type: "string", short: "n" },
        json: { type: "boolean" },
      },
    });
    const query = new URLSearchParams();
    if (values.level) query.set("level", values.level);
    if (values.source) query.set("source", values.source);
    query.set("limit", values.lines ?? "200");
    const print = (e: LogEntry) => console.log(values.json ? JSON.stringify(e) : format(e));
    const client = await runnerClient();
    if (!values.follow) {
      const { entries } = await client.json<{ entries: LogEntry[] }>(`/hangar/logs?${query}`);
      entries.forEach(print);
      return 0;
    }
    query.set("follow", "1");
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());
    const res = await client.request(`/hangar/logs?${query}`, { signal: controller.signal });
    if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`);
    try {
      for await (const line of lines(res, controller.signal)) print(JSON.parse(line) as LogEntry);
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
    return 0;
  },
};
