/**
 * The two servers the peer benchmark compares, each started as a user starts it: llama-server with
 * `-m MODEL` (plus the flags of a named setting), and Hangar as `hangar serve` (the built CLI) on its own
 * home with the model imported.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitForOk } from "./stream-client.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const hangarCli = path.join(repoRoot, "dist/cli/hangar.js");

export interface Server {
  baseUrl: string;
  model: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function alive(child: ChildProcess): () => boolean {
  return () => child.exitCode === null && child.signalCode === null;
}

/** Starts llama-server and waits until /health answers; `startedAt` is when the process was spawned. */
export async function startLlamaServer(
  binary: string,
  modelPath: string,
  port: number,
  flags: string[],
): Promise<Server & { startedAt: number }> {
  const startedAt = performance.now();
  const child = spawn(binary, ["-m", modelPath, "--host", "127.0.0.1", "--port", String(port), ...flags], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${baseUrl}/health`, 120_000, alive(child));
  } catch (error) {
    await stopChild(child);
    throw new Error(`llama-server did not start: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return { baseUrl, model: "peer", child, startedAt, stop: () => stopChild(child) };
}

/** `hangar serve` on a fresh home (inside `cacheDir`, so the import is a hard link) with the model imported. */
export async function startHangar(
  modelPath: string,
  cacheDir: string,
  port: number,
  flags: string[] = [],
  settings?: Record<string, unknown>,
  extraEnv: Record<string, string> = {},
): Promise<Server> {
  const home = await mkdtemp(path.join(cacheDir, "hangar-home-"));
  if (settings) await writeFile(path.join(home, "settings.json"), JSON.stringify(settings));
  // This computer's store, not a runner named by the caller's environment.
  const { HANGAR_URL: _remote, ...inherited } = process.env;
  const env = { ...inherited, ...extraEnv, HANGAR_HOME: home };
  const model = "bench/peer:q8";
  const imported = spawnSync(process.execPath, [hangarCli, "import", modelPath, "--name", model], {
    env,
    encoding: "utf8",
  });
  if (imported.status !== 0) throw new Error(`hangar import failed: ${imported.stderr}`);
  const child = spawn(process.execPath, [hangarCli, "serve", "--port", String(port), ...flags], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    await rm(home, { recursive: true, force: true });
  };
  try {
    await waitForOk(`${baseUrl}/api/version`, 60_000, alive(child));
  } catch (error) {
    await stop();
    throw new Error(`hangar serve did not start: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return { baseUrl, model, child, stop };
}

/** Unloads every model of a Hangar server, so the next request starts cold. */
export async function unloadAll(server: Server): Promise<void> {
  const res = await fetch(`${server.baseUrl}/hangar/unload`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ all: true }),
  });
  if (!res.ok) throw new Error(`unload: ${res.status} ${await res.text()}`);
}

/**
 * Waits until Hangar reads the model's weights from memory (useMmap "auto" moves them there once the
 * model has been idle for a moment), so that work never overlaps a measurement of the other server.
 * Returns the milliseconds waited; rejects after `timeoutMs`.
 */
export async function weightsInMemory(server: Server, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${server.baseUrl}/api/ps`);
    const { models } = (await res.json()) as { models: { name: string; weights?: string }[] };
    const weights = models.find((m) => m.name === server.model)?.weights;
    if (weights === "memory") return performance.now() - started;
    if (weights === undefined) throw new Error(`${server.model} is not loaded`);
    if (performance.now() - started > timeoutMs)
      throw new Error(`${server.model}: weights still ${weights} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
