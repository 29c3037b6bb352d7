import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { VERSION } from "../../runner/version.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "../../runner/paths.ts";
import { startHttpServer } from "../../runner/http/server.ts";
import type { Command } from "../command.ts";

/** The built renderer sits next to the built CLI (dist/renderer); absent in source checkouts without a build. */
export function rendererDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "../renderer"), join(here, "../../../dist/renderer")]) {
    if (existsSync(join(candidate, "index.html"))) return candidate;
  }
  return undefined;
}

export const serve: Command = {
  name: "serve",
  usage: "serve [--host H] [--port P]   start the runner with its HTTP API and web UI",
  async run(argv) {
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
    await new Promise<void>((resolve) => {
      const stop = () => void running.close().then(resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
};
