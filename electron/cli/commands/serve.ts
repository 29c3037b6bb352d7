import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { createRunner } from "../../runner/runner.ts";
import { attachAppBridge } from "../../runner/bridge/bridge-host.ts";
import {
  parseBytes,
  parseDurationSeconds,
  readApiKeyFile,
  validateSettings,
  type Settings,
} from "../../runner/settings/settings.ts";
import type { Command } from "../command.ts";

/** The built renderer sits next to the built CLI (dist/renderer); absent in source checkouts without a build. */
export function rendererDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "../renderer"), join(here, "../../../dist/renderer")]) {
    if (existsSync(join(candidate, "index.html"))) return candidate;
  }
  return undefined;
}

const int = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`${flag} must be an integer (got ${value})`);
  return n;
};

/** Command-line flags as a settings layer (validated with the same rules as the file). */
export function flagsToSettings(argv: string[]): Partial<Settings> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      cors: { type: "string", multiple: true },
      "api-key": { type: "string", multiple: true },
      "api-key-file": { type: "string" },
      "allowed-host": { type: "string", multiple: true },
      threads: { type: "string" },
      parallel: { type: "string" },
      "context-size": { type: "string" },
      "keep-alive": { type: "string" },
      "memory-budget": { type: "string" },
      "no-gpu": { type: "boolean" },
      "log-level": { type: "string" },
    },
  });
  const out: Partial<Settings> = {};
  if (values.host !== undefined) out.host = values.host;
  const port = int(values.port, "--port");
  if (port !== undefined) out.port = port;
  if (values.cors)
    out.corsOrigins = values.cors
      .flatMap((c) => c.split(","))
      .map((c) => c.trim())
      .filter(Boolean);
  const keys = [...(values["api-key"] ?? []), ...readApiKeyFile(values["api-key-file"], "--api-key-file")];
  if (keys.length > 0) out.apiKeys = keys;
  if (values["allowed-host"]) out.allowedHosts = values["allowed-host"];
  const threads = int(values.threads, "--threads");
  if (threads !== undefined) out.threads = threads;
  const parallel = int(values.parallel, "--parallel");
  if (parallel !== undefined) out.parallel = parallel;
  const ctx = int(values["context-size"], "--context-size");
  if (ctx !== undefined) out.contextSize = ctx;
  if (values["keep-alive"] !== undefined)
    out.keepAliveSeconds = parseDurationSeconds(values["keep-alive"], "--keep-alive");
  if (values["memory-budget"] !== undefined)
    out.memoryBudgetBytes = parseBytes(values["memory-budget"], "--memory-budget");
  if (values["no-gpu"]) out.gpu = false;
  // Checked with the other flags by validateSettings below.
  if (values["log-level"] !== undefined) out.logLevel = values["log-level"] as Settings["logLevel"];
  return validateSettings(out, "flags");
}

export const serve: Command = {
  name: "serve",
  usage:
    "serve [--host H] [--port P] [--cors ORIGIN] [--api-key KEY | --api-key-file PATH]   start the runner with its HTTP API and web UI",
  async run(argv) {
    const dir = rendererDir();
    const runner = await createRunner({
      settings: flagsToSettings(argv),
      echoLogs: "warn",
      ...(dir ? { rendererDir: dir } : {}),
    });
    const bridge = await attachAppBridge(runner);
    const status = await runner.start().catch(async (error: unknown) => {
      await runner.close();
      throw error;
    });
    console.log(`Hangar ${status.version} listening on ${status.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => void bridge.close().then(() => runner.close().then(resolve));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
};
