/**
 * The IPC adapter: the preload's calls and stream subscriptions go to the bridge dispatcher. Every
 * message is checked to come from the app's own page (its sender frame URL) and to be well formed;
 * the dispatcher then validates the parameters against the contract.
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from "electron";
import { IPC_CALL, IPC_SUBSCRIBE } from "../contract/preload-api.ts";
import { err } from "../contract/result.ts";
import type { BridgeEndpoint } from "../runner/bridge/runner-switch.ts";
import { isAppFrameUrl } from "./url-policy.ts";

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;

export function registerBridgeIpc(dispatcher: BridgeEndpoint, appUrl: () => string): () => void {
  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent) =>
    // senderFrame is null when the frame navigated away or was destroyed: refuse then too.
    event.senderFrame !== null &&
    event.senderFrame === event.sender.mainFrame &&
    isAppFrameUrl(event.senderFrame.url, appUrl());

  ipcMain.handle(IPC_CALL, (event, payload: unknown) => {
    if (!trusted(event)) return err("forbidden", "calls are accepted from the Hangar window only");
    if (!isRecord(payload) || typeof payload.method !== "string")
      return err("invalid_request", "expected {method, params}");
    return dispatcher.call(payload.method, payload.params);
  });

  ipcMain.on(IPC_SUBSCRIBE, (event, payload: unknown) => {
    const port = event.ports[0];
    if (!port) return;
    const refuse = (code: string, message: string) => {
      port.postMessage({ seq: 0, kind: "error", error: { code, message } });
      port.close();
    };
    if (!trusted(event)) return refuse("forbidden", "streams are open to the Hangar window only");
    if (!isRecord(payload) || typeof payload.stream !== "string")
      return refuse("invalid_request", "expected {stream, params}");
    let open = true;
    const stop = dispatcher.subscribe(payload.stream, payload.params, (e) => {
      if (!open) return;
      port.postMessage(e);
      if (e.kind === "error" || e.kind === "end") {
        open = false;
        port.close();
      }
    });
    // The page closes its end to unsubscribe (or it went away): stop the stream.
    port.on("close", () => {
      open = false;
      stop();
    });
    port.start();
  });

  return () => {
    ipcMain.removeHandler(IPC_CALL);
    ipcMain.removeAllListeners(IPC_SUBSCRIBE);
  };
}
