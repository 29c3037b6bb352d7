/**
 * One model the scheduler has loaded (or is loading): its worker, its parallel sequences, the bounded
 * queue of requests waiting for one, and its keep-alive timer.
 */
import { EngineError, type LoadedModelInfo } from "./types.ts";
import type { WorkerClient, WorkerLoadInfo } from "./worker-client.ts";

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Waiter {
  grant: (granted: boolean) => void;
}

export class ModelSlot {
  state: "loading" | "ready" | "gone" = "loading";
  worker: WorkerClient | undefined;
  info: WorkerLoadInfo | undefined;
  loadedAt = 0;
  lastUsedAt: number;
  expiresAt: number | null = null;
  active = 0;
  private readonly waiters: Waiter[] = [];
  private keepAliveSeconds: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly ref: string,
    readonly memoryBytes: number,
    readonly contextSize: number,
    private readonly limits: { parallel: number; maxQueue: number; keepAliveSeconds: number },
    private readonly clock: () => number,
    /** Called when the keep-alive runs out on an idle model. */
    private readonly onExpire: (slot: ModelSlot) => void,
  ) {
    this.lastUsedAt = clock();
    this.keepAliveSeconds = limits.keepAliveSeconds;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Idle: loaded, nothing generating, nothing waiting. Only idle models are evicted or expire. */
  get idle(): boolean {
    return this.state === "ready" && this.active === 0 && this.waiters.length === 0;
  }

  /**
   * Waits for a free sequence. Resolves false when the model went away meanwhile (the caller loads it
   * again); throws "overloaded" when the queue is full and "cancelled" when the signal aborts first.
   */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    if (this.state === "gone") return false;
    if (signal?.aborted) throw new EngineError("cancelled", "request cancelled");
    this.cancelExpiry();
    if (this.active < this.limits.parallel && this.waiters.length === 0) {
      this.active++;
      return true;
    }
    if (this.waiters.length >= this.limits.maxQueue) {
      throw new EngineError(
        "overloaded",
        `${this.ref} is busy: ${this.active} requests running and ${this.waiters.length} waiting`,
        Math.max(1, Math.ceil(this.waiters.length / this.limits.parallel)),
      );
    }
    return new Promise<boolean>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (granted) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(granted);
        },
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new EngineError("cancelled", "request cancelled while waiting for the model"));
        this.scheduleExpiry();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Frees a sequence: the next waiter takes it, or the keep-alive countdown starts. */
  release(): void {
    this.lastUsedAt = this.clock();
    const next = this.waiters.shift();
    if (next && this.state !== "gone") {
      next.grant(true);
      return;
    }
    this.active = Math.max(0, this.active - 1);
    this.scheduleExpiry();
  }

  /** Ollama's keep_alive: the latest request's value applies to the model from now on. */
  setKeepAlive(seconds: number | undefined): void {
    if (seconds !== undefined) this.keepAliveSeconds = seconds;
    if (this.idle) this.scheduleExpiry();
  }

  /** The worker is gone (stopped or crashed): waiting requests go and load it again. */
  markGone(): void {
    this.state = "gone";
    this.cancelExpiry();
    for (const waiter of this.waiters.splice(0)) waiter.grant(false);
  }

  scheduleExpiry(): void {
    this.cancelExpiry();
    if (!this.idle) return;
    if (this.keepAliveSeconds < 0) {
      this.expiresAt = null;
      return;
    }
    const expiresAt = this.clock() + this.keepAliveSeconds * 1000;
    this.expiresAt = expiresAt;
    this.armExpiry(expiresAt, this.keepAliveSeconds * 1000);
  }

  /**
   * setTimeout fires at once for delays over 2^31-1 ms (about 24.8 days): a longer keep-alive waits in
   * steps of at most that.
   */
  private armExpiry(expiresAt: number, delayMs: number): void {
    const step = Math.min(delayMs, MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.expiresAt !== expiresAt || !this.idle) return;
      if (delayMs > step) return this.armExpiry(expiresAt, delayMs - step);
      this.onExpire(this);
    }, step);
    // An idle model must not keep the runner's process alive.
    this.timer.unref();
  }

  private cancelExpiry(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.expiresAt = null;
  }

  describe(): LoadedModelInfo {
    return {
      ref: this.ref,
      memoryBytes: this.memoryBytes,
      contextSize: this.info?.contextSize ?? this.contextSize,
      activeSequences: this.active,
      queued: this.waiters.length,
      expiresAt: this.expiresAt,
      backend: this.info?.backend ?? "loading",
      loadedAt: this.loadedAt,
      ...(this.worker?.pid !== undefined ? { pid: this.worker.pid } : {}),
      ...(this.info ? { weights: this.info.weights } : {}),
    };
  }
}
