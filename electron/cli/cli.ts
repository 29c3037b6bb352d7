/** The `hangar` command. A thin layer over electron/runner; each subcommand lives in commands/. */
import { VERSION } from "../runner/version.ts";
import { commands } from "./commands/index.ts";

export function usage(): string {
  return `hangar ${VERSION}: run language models on your own machine\n\nUsage:\n${commands
    .map((c) => `  hangar ${c.usage}`)
    .join("\n")}\n  hangar help                   this text\n`;
}

export async function main(argv: string[]): Promise<number> {
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
  return command.run(rest);
}
