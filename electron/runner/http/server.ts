import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { VERSION } from "../version.ts";
import { serveStatic } from "./static-files.ts";

export interface HttpServerOptions {
  host: string;
  port: number;
  /** Folder with the built renderer, served at / for browser mode; omitted: no UI. */
  rendererDir?: string;
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

function sendJson(res: import("node:http").ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/health") return sendJson(res, 200, { status: "ok", version: VERSION });
      if (options.rendererDir && (await serveStatic(options.rendererDir, req, res))) return;
      sendJson(res, 404, {
        error: { message: `Not found: ${req.method} ${path}`, type: "not_found", code: "not_found" },
      });
    })().catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: { message: String(error), type: "server_error", code: null } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
