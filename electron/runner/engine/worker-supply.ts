/**
 * Where the scheduler gets inference workers. One spare worker is forked ahead of need: it imports
 * node-llama-cpp and readies the backend, then waits, so a cold request pays only for the model load.
 * The backend is detected once per runner: the first worker that detects ("auto") reports what it found,
 * and every later worker is started with that backend named.
 */
import type { Logger } from "../logs/types.ts";
import type { GpuSetting } from "./engine-settings.ts";
import { WorkerClient, type WorkerLaunchOptions, type WorkerReady } from "./worker-client.ts";
import type { LogLevel } from "../logs/types.ts";

export interface WorkerSupplyOptions {
  gpu: GpuSetting;
  logLevel: LogLevel;
  launch?: WorkerLaunchOptions;
  logger: Logger;
  /** Keep a spare worker ready (default true). */
  prefork?: boolean;
  /** True while models are generating: a spare is forked only when the CPU is free for it. */
  busy?: () => boolean;
}

/** How long to wait before trying again to fork a spare while models are busy. */
const RETRY_MS = 1000;

export class WorkerSupply {
  private spare: WorkerClient | undefined;
  private gpu: GpuSetting;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: WorkerSupplyOptions) {
    this.gpu = options.gpu;
    if (this.prefork) this.spare = this.spawn();
  }

  private get prefork(): boolean {
    return this.options.prefork ?? true;
  }

  /** A worker for the next load: the spare when it is alive, else a new one. */
  take(): WorkerClient {
    const spare = this.spare;
    this.spare = undefined;
    if (spare?.alive) return spare;
    return this.spawn();
  }

  /**
   * Forks the next spare once no model is generating: forking while a fresh model produces its first
   * tokens would take CPU from them.
   */
  refill(): void {
    if (!this.prefork || this.closed || this.spare?.alive || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed || this.spare?.alive) return;
      if (this.options.busy?.()) return this.refill();
      this.spare = this.spawn();
    }, RETRY_MS);
    // A pending spare must not keep the runner's process alive.
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const spare = this.spare;
    this.spare = undefined;
    await spare?.stop();
  }

  private spawn(): WorkerClient {
    const { logger } = this.options;
    const worker = WorkerClient.spawn({
      gpu: this.gpu,
      logLevel: this.options.logLevel,
      ...(this.options.launch ? { launch: this.options.launch } : {}),
      onLog: (level, message, label) =>
        logger.log({ level, source: "engine", message, ...(label === "spare" ? {} : { model: label }) }),
    });
    void worker.ready.then((ready) => this.learn(ready));
    worker.onExit(() => {
      if (this.spare === worker) this.spare = undefined;
    });
    return worker;
  }

  private learn(ready: WorkerReady | undefined): void {
    if (!ready?.detected || this.gpu !== "auto") return;
    this.gpu = ready.backend === "cpu" ? false : (ready.backend as GpuSetting);
    this.options.logger.info("engine", `backend detected: ${ready.backend}; later workers start on it`, {
      cpuMathCores: ready.cpuMathCores,
    });
  }
}
