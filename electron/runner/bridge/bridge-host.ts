/**
 * Puts the bridge on a runner: the downloads list, the dispatcher with the core, chat and logs
 * handlers, and the WebSocket at /bridge on the runner's HTTP server (browser mode). Electron's IPC
 * adapter uses the same dispatcher.
 */
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Runner } from "../runner.ts";
import { Downloads } from "../distribution/pull-queue.ts";
import { Dispatcher, type Handlers } from "./dispatcher.ts";
import { coreHandlers } from "./core-handlers.ts";
import { logsHandlers } from "./logs-handlers.ts";
import { chatHandlersForRunner } from "./chat-handlers.ts";
import { runnerServices } from "./runner-services.ts";
import { BRIDGE_PATH } from "../../contract/bridge-wire.ts";
import { BridgeSocketServer } from "./ws-transport.ts";
import type { CatalogServiceOptions } from "../catalog/catalog-service.ts";

/**
 * Removes partial blob files after a cancel. Partials are named by blob digest, not by model, so they
 * are removed only when no other pull is running or paused (those may be resuming from them).
 */
async function discardPartials(runner: Runner, downloads: Downloads): Promise<void> {
  if (downloads.list().some((d) => d.state === "running" || d.state === "paused")) return;
  const dir = runner.store.blobs.incomingDir;
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.includes(".partial")).map((n) => rm(join(dir, n), { force: true })),
  );
}

export interface BridgeHost {
  dispatcher: Dispatcher;
  downloads: Downloads;
  /** Stops the WebSocket endpoint and pauses running downloads (their partial data stays). */
  close(): Promise<void>;
}

export interface BridgeHostOptions {
  /** More handler sets, e.g. chatHandlers(...). */
  handlers?: Handlers[];
  catalog?: Partial<CatalogServiceOptions>;
  /** Mount the WebSocket at /bridge (default true). */
  webSocket?: boolean;
}

export function attachBridge(runner: Runner, options: BridgeHostOptions = {}): BridgeHost {
  const downloads: Downloads = new Downloads({
    library: runner.library,
    discardPartial: () => discardPartials(runner, downloads),
  });
  const dispatcher = new Dispatcher(
    coreHandlers(runnerServices(runner, downloads, options.catalog)),
    logsHandlers(runner.logs),
    ...(options.handlers ?? []),
  );
  let sockets: BridgeSocketServer | null = null;
  let unmount = () => {};
  if (options.webSocket !== false) {
    const server = new BridgeSocketServer({ dispatcher, apiKeys: () => runner.settings().apiKeys });
    sockets = server;
    const offUpgrade = runner.http.onUpgrade(BRIDGE_PATH, server.handleUpgrade);
    // Bridge sockets live on the API's HTTP server: stopping the runner closes them too, or the
    // server would wait on them forever. (The desktop window talks IPC and is not affected.)
    const offStatus = runner.onStatusChange((s) => {
      if (s.state === "stopping") server.close();
    });
    unmount = () => {
      offUpgrade();
      offStatus();
    };
  }
  return {
    dispatcher,
    downloads,
    async close() {
      unmount();
      sockets?.close();
      await downloads.close();
    },
  };
}

/** The whole app's bridge (core, logs and chat), as the desktop app and `hangar serve` host it. */
export async function attachAppBridge(runner: Runner, options: BridgeHostOptions = {}): Promise<BridgeHost> {
  const chat = await chatHandlersForRunner(runner);
  return attachBridge(runner, { ...options, handlers: [chat, ...(options.handlers ?? [])] });
}
