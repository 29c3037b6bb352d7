/** The `hangar` command. A thin layer over electron/runner. */
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { VERSION } from "../runner/version.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "../runner/paths.ts";
import { startHttpServer } from "../runner/http/server.ts";
import { parseArgs } from "node:util";

const USAGE = `hangar ${VERSION}: run language models on your own machine

Usage:
  hangar serve [--host H] [--port P]   start the runner with its HTTP API and web UI
  hangar version                       print the version
  hangar help                          this text
`;

/** The built renderer sits next to the built CLI (dist/renderer); absent in source checkouts without a build. */
function rendererDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "../renderer"), join(here, "../../dist/renderer")]) {
    if (existsSync(join(candidate, "index.html"))) return candidate;
  }
  return undefined;
}

async function serve(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { host: { type: "string" }, port: { type: "string" } },
  });
  const host = values.host ?? process.env.HANGAR_HOST ?? DEFAULT_HOST;
  const port = Number(values.port ?? process.env.HANGAR_PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535 (got ${values.port})`);
  const running = await startHttpServer({ host, port, rendererDir: rendererDir() });
  console.log(`Hangar ${VERSION} listening on ${running.url}`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "version":
    case "--version":
    case "-v":
      console.log(VERSION);
      return 0;
    case "serve":
      await serve(rest);
      return -1; // keeps running
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`hangar: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
