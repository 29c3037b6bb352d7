/**
 * UI benchmark: the real Logs and Chat screens in headless Chromium over a synthetic bridge.
 * Logs: 100,000 lines arriving in runner-sized batches, then scrolling and a search over all of them.
 * Chat: a 200 tok/s Markdown stream with code blocks. Reports frame intervals from
 * requestAnimationFrame (median, p95, max) — 16.7 ms is a full 60 Hz frame.
 */
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { build } from "vite";
import react from "@vitejs/plugin-react";
import type { Page } from "playwright-core";
import { launchBrowser } from "../testkit/browser.ts";

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

function frameStats(deltas: number[]): string {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms (${deltas.length} frames)`;
}

async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^\/+/, "") || "index.html";
    readFile(join(dir, path)).then(
      (body) =>
        res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

type BenchWindow = {
  bench: {
    pushLogs(total: number, batch: number, everyMs: number): Promise<void>;
    streamTokens(tokens: number, perSecond: number): Promise<void>;
    recordFrames(): () => number[];
  };
};

async function logsScenario(page: Page, url: string, figures: Record<string, string | number>) {
  await page.goto(`${url}/?screen=logs`);
  await page.locator(".log-scroller").waitFor();
  const ingest = await page.evaluate(async () => {
    const w = window as unknown as BenchWindow;
    const stop = w.bench.recordFrames();
    const started = performance.now();
    await w.bench.pushLogs(100_000, 2000, 50);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { deltas: stop(), ms: performance.now() - started };
  });
  figures["logs: 100k lines ingested (2000/50 ms)"] = frameStats(ingest.deltas);
  figures["logs: rows in the DOM at 100k lines"] = await page.locator(".log-row").count();
  figures["logs: lines held"] =
    (await page.locator(".log-status").textContent())?.match(/of ([\d,]+) held/)?.[1] ?? "?";

  const scrolling = await page.evaluate(async () => {
    const w = window as unknown as BenchWindow;
    const el = document.querySelector(".log-scroller")!;
    const stop = w.bench.recordFrames();
    for (let i = 0; i < 120; i++) {
      el.scrollTop = ((i * 7919) % 100) * (el.scrollHeight / 100);
      await new Promise((r) => requestAnimationFrame(r));
    }
    return stop();
  });
  figures["logs: scrolling 120 jumps"] = frameStats(scrolling);

  const search = await page.evaluate(async () => {
    const input = document.querySelector<HTMLInputElement>(".log-search")!;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    const started = performance.now();
    setter.call(input, "slot");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - started;
  });
  figures["logs: search over 100k lines, to painted"] = `${search.toFixed(0)} ms`;
  figures["logs: matches shown"] =
    (await page.locator(".log-status").textContent())?.match(/([\d,]+) shown/)?.[1] ?? "?";
  const heap = await page.evaluate(
    () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
  );
  if (heap) figures["logs: JS heap with 100k lines"] = `${(heap / 2 ** 20).toFixed(0)} MiB`;
}

async function chatScenario(page: Page, url: string, figures: Record<string, string | number>) {
  await page.goto(`${url}/?screen=chat`);
  await page.getByRole("textbox", { name: "Message" }).fill("Write a long answer");
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByLabel("Reply in progress").waitFor();
  const deltas = await page.evaluate(async () => {
    const w = window as unknown as BenchWindow;
    const stop = w.bench.recordFrames();
    await w.bench.streamTokens(1000, 200);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return stop();
  });
  figures["chat: 1000 tokens at 200 tok/s"] = frameStats(deltas);
  figures["chat: code blocks rendered"] = await page.locator(".code-block").count();
}

export async function run(): Promise<Record<string, string | number>> {
  const outDir = await mkdtemp(join(tmpdir(), "hangar-ui-bench-"));
  const browser = await launchBrowser();
  let server: Server | undefined;
  try {
    await build({
      root: fileURLToPath(new URL("./ui-page", import.meta.url)),
      base: "./",
      plugins: [react()],
      logLevel: "warn",
      build: { outDir, emptyOutDir: true },
    });
    const served = await serve(outDir);
    server = served.server;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const figures: Record<string, string | number> = {};
    await logsScenario(page, served.url, figures);
    await chatScenario(page, served.url, figures);
    return figures;
  } finally {
    await browser.close();
    server?.close();
    await rm(outDir, { recursive: true, force: true });
  }
}
