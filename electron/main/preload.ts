/**
 * Preload (bundled to one CJS file for the sandbox): exposes `window.hangar`, built from the contract —
 * one function per method and `subscribe`, whose events come over a MessagePort per subscription
 * (closing the port unsubscribes). No raw ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer } from "electron";
import { methodNames } from "../contract/api.ts";
import { IPC_CALL, IPC_SUBSCRIBE, type PreloadApi, type PreloadMethods } from "../contract/preload-api.ts";

const methods = Object.fromEntries(
  methodNames.map((method) => [
    method,
    (params: unknown) => ipcRenderer.invoke(IPC_CALL, { method, params }),
  ]),
) as unknown as PreloadMethods;

const api: PreloadApi = {
  methods,
  subscribe(stream, params, listener) {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (message) => listener(message.data);
    ipcRenderer.postMessage(IPC_SUBSCRIBE, { stream, params }, [port2]);
    return () => port1.close();
  },
};

contextBridge.exposeInMainWorld("hangar", api);
