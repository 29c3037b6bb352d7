/**
 * Puts the bridge on a runner: the dispatcher with the core, chat and logs handlers (pulls are the
 * runner's pull queue), and the WebSocket at /bridge on the runner's HTTP server (browser mode).
 * Electron's IPC adapter uses the same dispatcher.
 */
import type { Runner } from "../runner.ts";
import { Dispatcher, type Handlers } from "./dispatcher.ts";
import { coreHandlers } from "./core-handlers.ts";
import { logsHandlers } from "./logs-handlers.ts";
import { chatHandlersForRunner } from "./chat-handlers.ts";
import { runnerServices } from "./runner-services.ts";
import { BRIDGE_PATH } from "../../contract/bridge-wire.ts";
import { BridgeSocketServer } from "./ws-transport.ts";
import type { CatalogServiceOptions } from "../catalog/catalog-service.ts";

export interface BridgeHost {
  dispatcher: Dispatcher;
  /** Stops the WebSocket endpoint (pulls are the runner's and go on until it closes). */
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
  const dispatcher = new Dispatcher(
    coreHandlers(runnerServices(runner, options.catalog)),
    logsHandlers(runner.logs),
    ...(options.handlers ?? []),
  );
  let sockets: BridgeSocketServer | null = null;
  let unmount = () => {};
  if (options.webSocket !== false) {
    const server = new BridgeSocketServer({
      dispatcher,
      keyAccepted: (offered) => runner.acceptsKeys(offered),
    });
    sockets = server;
    const offUpgrade = runner.http.onUpgrade(BRIDGE_PATH, server.handleUpgrade);
    // Bridge sockets live on the API's HTTP server: a runner that closes its listener on stop closes
    // them too, or the server would wait on them forever. In browser mode the listener stays up, and so
    // do the sockets: the page that stopped the runner gets its answer and can start it again.
    // (The desktop window talks IPC and is not affected.)
    const offStatus = runner.onStatusChange((s) => {
      if (s.state === "stopping" && !runner.servesUi) server.close();
    });
    unmount = () => {
      offUpgrade();
      offStatus();
    };
  }
  return {
    dispatcher,
    async close() {
      unmount();
      sockets?.close();
    },
  };
}

/** The whole app's bridge (core, logs and chat), as the desktop app and `hangar serve` host it. */
export async function attachAppBridge(runner: Runner, options: BridgeHostOptions = {}): Promise<BridgeHost> {
  const chat = await chatHandlersForRunner(runner);
  return attachBridge(runner, { ...options, handlers: [chat, ...(options.handlers ?? [])] });
}
