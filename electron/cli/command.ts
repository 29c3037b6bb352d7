/** One `hangar` subcommand. Each lives in electron/cli/commands/<name>.ts and is listed in commands/index.ts. */
export interface Command {
  name: string;
  /** One line for `hangar help`, e.g. "pull REF            download a model into the store". */
  usage: string;
  /** Returns the exit code; a long-running command (serve) returns a promise that settles when it stops. */
  run(argv: string[]): Promise<number>;
}
