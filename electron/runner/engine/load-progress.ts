/**
 * Load progress, from a worker to whoever waits for that model: every request waiting for a load hears
 * "loading" events with its progress (the chat shows "loading 40%"), and a slow load logs how far it is.
 */
import type { Logger } from "../logs/types.ts";
import { EventQueue } from "./event-queue.ts";
import type { GenerationEvent } from "./types.ts";

/** A slow load logs its progress about this often; a fast one logs nothing extra. */
const LOG_EVERY_MS = 1000;

export class LoadProgress {
  private readonly listeners = new Map<string, Set<(progress: number) => void>>();

  constructor(private readonly logger: Logger) {}

  /** "loading" events with the progress of `ref`'s load until `loading` settles (its failure is the caller's). */
  async *until(ref: string, loading: Promise<unknown>): AsyncGenerator<GenerationEvent> {
    const queue = new EventQueue<number>();
    const listener = (progress: number) => queue.push(progress);
    const listeners = this.listeners.get(ref) ?? new Set();
    this.listeners.set(ref, listeners.add(listener));
    loading.then(
      () => queue.end(),
      () => queue.end(),
    );
    try {
      for await (const progress of queue) yield { type: "loading", progress };
    } finally {
      listeners.delete(listener);
      if (listeners.size === 0) this.listeners.delete(ref);
    }
  }

  /** The callback a load of `ref` reports its progress (0 to 1) to. */
  reporter(ref: string): (progress: number) => void {
    let lastLogged = performance.now();
    return (progress) => {
      for (const listener of this.listeners.get(ref) ?? []) listener(progress);
      if (performance.now() - lastLogged < LOG_EVERY_MS) return;
      lastLogged = performance.now();
      const message = `loading ${ref}: ${Math.round(progress * 100)}%`;
      this.logger.log({ level: "info", source: "engine", model: ref, message });
    };
  }
}
