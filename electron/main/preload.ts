/** Preload: exposes one typed bridge object to the renderer; never raw ipcRenderer. */
import { contextBridge } from "electron";

contextBridge.exposeInMainWorld("hangar", { version: 1 });
