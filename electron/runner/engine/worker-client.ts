/**
 * The runner's side of one inference worker process: forks it, loads the model, multiplexes requests
 * over its IPC channel, and supervises it. When the process dies (native abort, out of memory, kill)
 * every request in flight fails with EngineError("worker_crashed") naming the exit code or signal; the
 * scheduler then drops the worker so the next request starts a fresh one.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { EngineError, type GenerationEvent, type Usage } from "./types.ts";
import {
  parseToParent,
  parseToWorker,
  type ChatOperation,
  type CompleteOperation,
  type LoadMessage,
  type ToParent,
} from "./protocol.ts";
import { EventQueue } from "./event-queue.ts";
import type { GpuSetting } from "./engine-settings.ts";
import { workerEnvironment } from "./worker-env.ts";
import type { LogLevel } from "../logs/types.ts";

export interface WorkerLaunchOptions {
  /** Executable to fork with: process.execPath by default (Electron's binary with ELECTRON_RUN_AS_NODE=1). */
  execPath?: string;
  /** Environment of the worker; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Worker entry script; by default the TypeScript entry under tsx when running from source, else dist/runner/worker.js. */
  entry?: string;
}

export interface WorkerLoadInfo {
  backend: string;
  threads: number;
  contextSize: number;
  trainContextSize: number;
  embeddingLength: number;
  /** Where the weights are read from; "mapped" weights may move into memory later (onWeights). */
  weights: "mapped" | "memory";
  /** How the next load of the same file can build the chat wrapper without resolving it. */
  chatWrapper?: LoadMessage["chatWrapper"];
}

export type WorkerExit = { code: number | null; signal: NodeJS.Signals | null; expected: boolean };

type Pending =
  | { kind: "stream"; queue: EventQueue<Exclude<GenerationEvent, { type: "loading" }>> }
  | {
      kind: "once";
      resolve: (message: ToParent) => void;
      reject: (error: Error) => void;
    };

const runningFromSource = import.meta.url.endsWith(".ts");

function defaultEntry(): { entry: string; execArgv: string[] } {
  if (runningFromSource) {
    return {
      entry: fileURLToPath(new URL("./worker/entry.ts", import.meta.url)),
      execArgv: ["--import", "tsx"],
    };
  }
  // Bundled: this code lives in dist/<app>/<file>.js and the worker in dist/runner/worker.js.
  return { entry: fileURLToPath(new URL("../runner/worker.js", import.meta.url)), execArgv: [] };
}

/** Under Electron, process.execPath is the app itself: ELECTRON_RUN_AS_NODE makes it a plain Node. */
function workerEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const base = env ?? process.env;
  return process.versions.electron && base.ELECTRON_RUN_AS_NODE === undefined
    ? { ...base, ELECTRON_RUN_AS_NODE: "1" }
    : base;
}

export interface WorkerReady {
  backend: string;
  /** True when the worker detected the backend itself ("auto"). */
  detected: boolean;
  cpuMathCores: number;
}

type LogSink = (level: "debug" | "info" | "warn" | "error", message: string, label: string) => void;

export class WorkerClient {
  private readonly pending = new Map<number, Pending>();
  private readonly progress = new Map<number, (progress: number) => void>();
  private nextId = 1;
  private exited: WorkerExit | undefined;
  private stopping = false;
  private readonly exitListeners = new Set<(exit: WorkerExit) => void>();
  private readonly weightsListeners = new Set<(placement: "memory", ms: number) => void>();
  /** Resolves when node-llama-cpp is ready in the worker; never rejects (a dead worker fails its load). */
  readonly ready: Promise<WorkerReady | undefined>;
  private markReady: (ready: WorkerReady | undefined) => void = () => undefined;

  private constructor(
    private readonly child: ChildProcess,
    /** What the worker serves, for log lines: "spare" until a model is loaded. */
    private label: string,
    private readonly onLog: LogSink,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    child.on("message", (raw) => this.receive(raw));
    child.on("exit", (code, signal) => this.handleExit(code, signal));
    child.on("error", (error) => this.log("error", `inference worker: ${error.message}`));
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) this.log(stream === child.stderr ? "warn" : "info", line);
      });
    }
  }

  /**
   * Forks a worker, which readies node-llama-cpp at once and then waits for `load`: forked ahead of
   * need, it takes the process start, the import and the backend off a cold request's time.
   * `gpu` goes to the worker's environment ("auto" detects the backend, anything else skips that).
   */
  static spawn(options: {
    gpu: GpuSetting;
    logLevel: LogLevel;
    launch?: WorkerLaunchOptions;
    onLog: LogSink;
    label?: string;
  }): WorkerClient {
    const fallback = defaultEntry();
    const entry = options.launch?.entry ?? fallback.entry;
    const child = fork(entry, [], {
      execPath: options.launch?.execPath ?? process.execPath,
      execArgv: options.launch?.entry && !options.launch.entry.endsWith(".ts") ? [] : fallback.execArgv,
      env: workerEnv(workerEnvironment(options.launch?.env ?? process.env, options.logLevel, options.gpu)),
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced",
    });
    return new WorkerClient(child, options.label ?? "spare", options.onLog);
  }

  /**
   * Loads the model this worker serves (once); `onProgress` hears the load's progress from 0 to 1.
   * Rejects with EngineError("load_failed") if that fails, and the worker is then stopped.
   */
  async load(
    label: string,
    load: Omit<LoadMessage, "type" | "id">,
    onProgress?: (progress: number) => void,
  ): Promise<WorkerLoadInfo> {
    this.label = label;
    const id = this.nextId++;
    if (onProgress) this.progress.set(id, onProgress);
    try {
      const reply = await this.request({ type: "load", ...load }, id);
      if (reply.type !== "loaded") throw new Error(`unexpected reply ${reply.type}`);
      const { backend, threads, contextSize, trainContextSize, embeddingLength, weights, chatWrapper } =
        reply;
      return {
        backend,
        threads,
        contextSize,
        trainContextSize,
        embeddingLength,
        weights,
        ...(chatWrapper ? { chatWrapper } : {}),
      };
    } catch (error) {
      await this.stop();
      const message = error instanceof Error ? error.message : String(error);
      throw new EngineError("load_failed", `could not load ${label}: ${message}`);
    } finally {
      this.progress.delete(id);
    }
  }

  /** Forks a worker and loads the model; rejects with EngineError("load_failed") if that fails. */
  static async start(options: {
    label: string;
    load: Omit<LoadMessage, "type" | "id">;
    gpu?: GpuSetting;
    logLevel?: LogLevel;
    launch?: WorkerLaunchOptions;
    onLog: (level: "debug" | "info" | "warn" | "error", message: string) => void;
  }): Promise<{ worker: WorkerClient; info: WorkerLoadInfo }> {
    const worker = WorkerClient.spawn({
      gpu: options.gpu ?? "auto",
      logLevel: options.logLevel ?? "info",
      ...(options.launch ? { launch: options.launch } : {}),
      onLog: (level, message) => options.onLog(level, message),
      label: options.label,
    });
    return { worker, info: await worker.load(options.label, options.load) };
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** Told when the worker has moved the model's weights from the mapped file into its memory. */
  onWeights(listener: (placement: "memory", ms: number) => void): () => void {
    this.weightsListeners.add(listener);
    return () => this.weightsListeners.delete(listener);
  }

  onExit(listener: (exit: WorkerExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /**
   * Streams one chat or completion. Aborting the signal (or leaving the loop early) asks the worker to
   * stop; the stream then ends with finishReason "cancelled" once the worker has freed the sequence.
   */
  async *generate(
    operation: Omit<ChatOperation, "id"> | Omit<CompleteOperation, "id">,
    signal?: AbortSignal,
  ): AsyncGenerator<Exclude<GenerationEvent, { type: "loading" }>> {
    const id = this.nextId++;
    try {
      parseToWorker({ ...operation, id });
    } catch (error) {
      throw new EngineError("invalid_request", error instanceof Error ? error.message : String(error));
    }
    const queue = new EventQueue<Exclude<GenerationEvent, { type: "loading" }>>();
    this.pending.set(id, { kind: "stream", queue });
    let finished = false;
    const cancel = () => {
      if (!finished && this.alive) this.post({ type: "cancel", id });
    };
    signal?.addEventListener("abort", cancel, { once: true });
    try {
      try {
        this.post({ ...operation, id } as ChatOperation | CompleteOperation);
      } catch (error) {
        // Never sent (the channel could not serialize it): nothing will answer, so nothing to wait for.
        finished = true;
        this.pending.delete(id);
        throw new EngineError(
          "invalid_request",
          `could not send the request to the inference worker: ${error instanceof Error ? error.message : error}`,
        );
      }
      if (signal?.aborted) cancel();
      for await (const event of queue) {
        if (event.type === "done") finished = true;
        yield event;
      }
    } finally {
      signal?.removeEventListener("abort", cancel);
      if (!finished) {
        // The consumer left early (client gone): stop the generation and wait until the worker has
        // freed the sequence, so the scheduler never hands out a sequence the worker still holds.
        cancel();
        await queue.drain();
      }
    }
  }

  async embed(input: string[]): Promise<{ embeddings: number[][]; usage: Usage }> {
    const reply = await this.request({ type: "embed", input });
    if (reply.type !== "embeddings") throw new Error(`unexpected reply ${reply.type}`);
    return { embeddings: reply.embeddings, usage: reply.usage };
  }

  /** Ends the worker: closes its channel, then kills it if it has not exited within `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => this.onExit(() => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private request(
    message: Record<string, unknown> & { type: string },
    id = this.nextId++,
  ): Promise<ToParent> {
    return new Promise<ToParent>((resolve, reject) => {
      this.pending.set(id, { kind: "once", resolve, reject });
      try {
        this.post({ ...message, id });
      } catch (error) {
        this.pending.delete(id);
        reject(error as Error);
      }
    });
  }

  private post(message: Record<string, unknown>): void {
    if (!this.alive || !this.child.connected) {
      this.failPending(
        new EngineError("worker_crashed", `inference worker for ${this.label} is not running`),
      );
      return;
    }
    this.child.send(message);
  }

  private receive(raw: unknown): void {
    let message: ToParent;
    try {
      message = parseToParent(raw);
    } catch (error) {
      this.log(
        "error",
        `invalid message from inference worker: ${error instanceof Error ? error.message : error}`,
      );
      return;
    }
    if (message.type === "log") return this.log(message.level, message.message);
    if (message.type === "ready") {
      const { backend, detected, cpuMathCores } = message;
      return this.markReady({ backend, detected, cpuMathCores });
    }
    if (message.type === "progress") return this.progress.get(message.id)?.(message.progress);
    if (message.type === "weights") {
      for (const listener of this.weightsListeners) listener(message.placement, message.ms);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === "error") {
      this.pending.delete(message.id);
      // The worker answered, so it did not crash: its own failures stay "internal".
      const error = new EngineError(message.code, message.message);
      if (pending.kind === "stream") pending.queue.fail(error);
      else pending.reject(error);
      return;
    }
    if (pending.kind === "once") {
      this.pending.delete(message.id);
      pending.resolve(message);
      return;
    }
    if (message.type !== "event") return;
    pending.queue.push(message.event);
    if (message.event.type === "done") {
      this.pending.delete(message.id);
      pending.queue.end();
    }
  }

  private handleExit(code: number | null, signal: NodeJS.Signals | null): void {
    const expected = this.stopping;
    this.exited = { code, signal, expected };
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (!expected) this.log("error", `inference worker for ${this.label} died (${how})`);
    this.markReady(undefined);
    this.failPending(
      expected
        ? new EngineError("cancelled", `inference worker for ${this.label} was stopped`)
        : new EngineError("worker_crashed", `inference worker for ${this.label} died (${how})`),
    );
    for (const listener of this.exitListeners) listener(this.exited);
  }

  private log(level: "debug" | "info" | "warn" | "error", message: string): void {
    this.onLog(level, message, this.label);
  }

  private failPending(error: EngineError): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      if (pending.kind === "stream") pending.queue.fail(error);
      else pending.reject(error);
    }
  }
}
