/**
 * The one "runner on a temp folder" of the tests, e2e specs and benchmarks: a real runner on a temp
 * $HANGAR_HOME, by default with a generated tiny GGUF imported into its store, optionally with the
 * bridge attached and the built renderer served. `close()` takes everything down and removes the folder.
 * Seed 2 (the default model) answers "{}" under the JSON grammar, so constrained output ends within a
 * few tokens.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeTinyModel, type TinyModelOptions } from "./gguf-writer.ts";
import { createRunner, type Runner, type RunnerOptions } from "../electron/runner/runner.ts";
import type { Settings } from "../electron/runner/settings/settings.ts";
import { ModelStore } from "../electron/runner/store/model-store.ts";
import { importGguf } from "../electron/runner/distribution/packaging/package-model.ts";
import {
  attachAppBridge,
  attachBridge,
  type BridgeHost,
  type BridgeHostOptions,
} from "../electron/runner/bridge/bridge-host.ts";

export const TINY_MODEL = "local/tiny:1";

/** The built renderer, served by runners started with `serveRenderer`. */
export const RENDERER_DIR = join(import.meta.dirname, "..", "dist", "renderer");
export const rendererMissing = existsSync(join(RENDERER_DIR, "index.html"))
  ? null
  : "dist/renderer is missing: run `npm run build` first";

export interface TestRunner {
  runner: Runner;
  /** The API's address; "" when the runner was not started. */
  url: string;
  home: string;
  /** The store the runner uses. */
  library: ModelStore;
  /** The imported model's reference, or null with `model: false`. */
  modelRef: string | null;
  /** The bridge, when one was asked for. */
  bridge: BridgeHost | null;
  close(): Promise<void>;
}

export interface TestRunnerOptions {
  /**
   * The model imported as `ref` (default `local/tiny:1`): a generated one (default seed 2, trained
   * context 1024), or the GGUF at `path`; false for none.
   */
  model?: false | (TinyModelOptions & { ref?: string; path?: string });
  /** Start the HTTP API (default true). */
  start?: boolean;
  createEngine?: RunnerOptions["createEngine"];
  /** Attach the bridge: "core" (attachBridge) or "app" (core, logs and chat, as the app hosts it). */
  bridge?: { kind: "core" | "app" } & BridgeHostOptions;
  /** A renderer to serve at / (browser mode): RENDERER_DIR, or a folder of one's own (relative: in the home). */
  rendererDir?: string;
  /** Runs on the fresh home before the runner opens it (files a user had from an earlier session). */
  prepare?: (home: string) => Promise<void>;
  /** Prefix of the temp folder's name, to tell tests apart in /tmp. */
  name?: string;
  /** More environment for the runner (HF_ENDPOINT, say), over HANGAR_HOME and HOME. */
  env?: Record<string, string>;
}

/** Test defaults: loopback, a free port, two threads, CPU only; `settings` goes over them. */
export async function startTestRunner(
  settings: Partial<Settings> = {},
  options: TestRunnerOptions = {},
): Promise<TestRunner> {
  const home = await mkdtemp(join(tmpdir(), `hangar-${options.name ?? "test"}-`));
  let runner: Runner | undefined;
  let bridge: BridgeHost | null = null;
  const closeAll = async () => {
    await bridge?.close();
    await runner?.close();
    await rm(home, { recursive: true, force: true });
  };
  try {
    await options.prepare?.(home);
    const library = new ModelStore({ root: join(home, "models") });
    let modelRef: string | null = null;
    if (options.model !== false) {
      const { ref, path, ...model } = options.model ?? {};
      const gguf =
        path ?? (await writeTinyModel(join(home, "tiny.gguf"), { seed: 2, contextLength: 1024, ...model }));
      modelRef = (await importGguf(library, gguf, ref ?? TINY_MODEL)).ref;
    }
    runner = await createRunner({
      home,
      // HOME too: other tools' model folders (~/.ollama, ~/.cache/huggingface…) are read from the temp home.
      env: { HANGAR_HOME: home, HOME: home, ...options.env },
      store: library,
      ...(options.createEngine ? { createEngine: options.createEngine } : {}),
      ...(options.rendererDir ? { rendererDir: resolve(home, options.rendererDir) } : {}),
      settings: {
        host: "127.0.0.1",
        port: 0,
        threads: 2,
        gpu: false,
        parallel: 2,
        contextSize: 512,
        ...settings,
      },
    });
    if (options.bridge) {
      const { kind, ...bridgeOptions } = options.bridge;
      bridge =
        kind === "app" ? await attachAppBridge(runner, bridgeOptions) : attachBridge(runner, bridgeOptions);
    }
    const status = options.start === false ? null : await runner.start();
    return {
      runner,
      url: status?.url ?? "",
      home,
      library,
      modelRef,
      bridge,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** What the Chat and Logs specs run: the app's whole bridge and the built renderer, a 4096-token model. */
export const CHAT_APP_MODEL = "local/tiny-chat:latest";
export function chatAppOptions(
  prepare?: TestRunnerOptions["prepare"],
): [Partial<Settings>, TestRunnerOptions] {
  return [
    { parallel: 1, contextSize: 2048 },
    {
      name: "chat-e2e",
      model: { seed: 3, contextLength: 4096, ref: CHAT_APP_MODEL },
      rendererDir: RENDERER_DIR,
      bridge: { kind: "app" },
      ...(prepare ? { prepare } : {}),
    },
  ];
}
