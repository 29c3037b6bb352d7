/** The `hangar` command. A thin layer over electron/runner; each subcommand lives in commands/. */
import { VERSION } from "../runner/version.ts";
import { commands } from "./commands/index.ts";
import { LOCAL_ONLY_COMMANDS, refuseRemote, takeUrlOption } from "./remote-store.ts";

export function usage(): string {
  return (
    `hangar ${VERSION}: run language models on your own machine\n\nUsage:\n${commands
      .map((c) => `  hangar ${c.usage}`)
      .join("\n")}\n  hangar help                   this text\n\n` +
    `On another runner: HANGAR_URL=http://host:11987 (or --url URL) and HANGAR_API_KEY (or HANGAR_API_KEY_FILE)\n` +
    `make pull, ls, rm, tag, push, df, run, ps, unload, logs and status act on that runner.\n`
  );
}

export async function main(args: string[]): Promise<number> {
  // `--url URL` anywhere (before a `--`) is HANGAR_URL for this command.
  const { argv, url } = takeUrlOption(args);
  if (url !== undefined) process.env.HANGAR_URL = url;
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return 0;
  }
  if (name === "--version" || name === "-v") return main(["version"]);
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`hangar: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const localOnly = LOCAL_ONLY_COMMANDS[command.name];
  if (localOnly) refuseRemote(command.name, localOnly);
  return command.run(rest);
}
