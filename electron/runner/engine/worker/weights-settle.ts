/**
 * When a worker moves a model's weights from the mapped file into its own memory (useMmap "auto").
 *
 * Mapped weights give the fastest first token: nothing is copied at load. Weights in the process's own
 * memory decode faster (on a 2-core x86 machine, a 1.1 GB Q8_0 model: 8% through Hangar's HTTP API,
 * 6–16% for llama-server with `--no-mmap`), and the kernel cannot drop them under memory pressure, to
 * read them back from disk in the middle of a reply. So the worker loads mapped and, once the model has
 * been idle for a moment, reads a second copy into memory and switches to it between requests. A request
 * that arrives meanwhile stops the reading at once (it would take CPU and memory bandwidth from the
 * request); the next idle moment starts it again. Once settled, nothing more happens.
 */

/** How long a model stays idle, by default, before its weights are read into memory. */
export const SETTLE_AFTER_IDLE_MS = 2000;

export interface WeightsSettlerOptions {
  /**
   * Reads the copy and switches to it. It must stop (reject or return false) soon after `signal`
   * aborts and then leave the mapped weights in use; true once the model runs from memory.
   */
  settle: (signal: AbortSignal) => Promise<boolean>;
  /** A settle that failed for a reason other than being stopped: it is not tried again. */
  onFailure: (error: unknown) => void;
}

export class WeightsSettler {
  private state: "idle" | "waiting" | "settling" | "settled" | "given-up" = "idle";
  private timer: NodeJS.Timeout | undefined;
  private running: AbortController | undefined;
  private busyCount = 0;
  private stopped = false;
  private idleMs = 0;

  constructor(private readonly options: WeightsSettlerOptions) {}

  get settled(): boolean {
    return this.state === "settled";
  }

  /** A request starts: the copy in progress (or about to start) stops. */
  busy(): void {
    this.busyCount++;
    this.disarm();
    this.running?.abort();
  }

  /** A request ended. */
  done(): void {
    this.busyCount = Math.max(0, this.busyCount - 1);
    this.arm();
  }

  /** The model is loaded (mapped): settling begins once it has been idle for `idleMs`. */
  start(idleMs: number): void {
    this.idleMs = idleMs;
    this.state = "waiting";
    this.arm();
  }

  /** The worker is going away: nothing more starts, the copy in progress stops. */
  stop(): void {
    this.stopped = true;
    this.state = "given-up";
    this.disarm();
    this.running?.abort();
  }

  private arm(): void {
    if (this.state !== "waiting" || this.busyCount > 0 || this.running) return;
    this.disarm();
    this.timer = setTimeout(() => void this.run(), this.idleMs);
    // Waiting to settle must not keep a process alive.
    this.timer.unref?.();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.state !== "waiting" || this.busyCount > 0) return;
    const controller = new AbortController();
    this.running = controller;
    this.state = "settling";
    let outcome: "settled" | "stopped" | "failed";
    let failure: unknown;
    try {
      outcome = (await this.options.settle(controller.signal)) ? "settled" : "stopped";
    } catch (error) {
      outcome = controller.signal.aborted ? "stopped" : "failed";
      failure = error;
    }
    this.running = undefined;
    if (this.stopped) return;
    if (outcome === "settled") this.state = "settled";
    else if (outcome === "failed") {
      this.state = "given-up";
      this.options.onFailure(failure);
    } else {
      this.state = "waiting";
      this.arm();
    }
  }
}
