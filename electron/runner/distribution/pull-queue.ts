/**
 * The runner's pulls, whoever started them (the app, `POST /api/pull`, the CLI through the runner), with
 * pause, resume and cancel. Pause aborts the pull and keeps its partial data (the downloader resumes from
 * it); cancel aborts and discards the partial data. Pulls belong to the runner, not to a window or a
 * request: they go on when every subscriber has gone.
 */
import type { InstalledModel, PullProgress } from "../models.ts";
import type { Download } from "../../contract/downloads.ts";
import { humanErrorMessage, isRetryable } from "./network-errors.ts";

export class PullQueueError extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "cancelled",
    message: string,
  ) {
    super(message);
    this.name = "PullQueueError";
  }
}

type ProgressWatcher = (p: PullProgress) => void;

export interface PullQueueOptions {
  /** Pulls one model into the store (distribution/pull.ts with the store and registry access). */
  pull: (
    ref: string,
    options: { signal: AbortSignal; onProgress: ProgressWatcher },
  ) => Promise<InstalledModel>;
  /**
   * Refuses a reference before anything is queued (throws, e.g. a ReferenceError): a malformed one must
   * not show as a download that is "resolving".
   */
  check?: (ref: string) => void;
  /** Removes the partial data of pulls; called after a cancel when no other pull is running or paused. */
  removePartials?: () => Promise<void>;
  now?: () => number;
  /** Minimum milliseconds between progress deltas of one download (phase changes always go out). */
  progressIntervalMs?: number;
  /** How many finished downloads to remember for the list. */
  keepFinished?: number;
}

interface Entry {
  download: Download;
  controller: AbortController | null;
  /** Bumped on pause/cancel: a pull whose generation is stale was aborted on purpose, not failed. */
  generation: number;
  lastEmit: number;
  done: Promise<void>;
  /** Callers awaiting this pull through `pull()`: they get every progress event, unthrottled. */
  watchers: Set<ProgressWatcher>;
  model: InstalledModel | null;
  /** What the last attempt threw, as thrown (its code tells the HTTP API which status to answer). */
  failure: unknown;
}

type Listener = (download: Download) => void;
type RemovedListener = (ids: string[]) => void;

const FINISHED: readonly Download["state"][] = ["done", "cancelled", "error"];

export class PullQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<Listener>();
  private readonly removedListeners = new Set<RemovedListener>();
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly options: PullQueueOptions) {
    this.now = options.now ?? Date.now;
  }

  list(): Download[] {
    return [...this.entries.values()].map((e) => ({ ...e.download }));
  }

  get(id: string): Download {
    return { ...this.entry(id).download };
  }

  /** Starts a pull; a pull of the same reference already under way (or paused) is returned (resumed). */
  start(ref: string): Download {
    return { ...this.startEntry(ref).download };
  }

  /**
   * A pull its caller waits for (the HTTP API, the CLI through the runner): listed and controllable like
   * any other. Resolves with the model; rejects when the pull fails, or is paused or cancelled (in the
   * app, say). Aborting `signal` pauses a pull this call started, keeping its partial data.
   */
  async pull(
    ref: string,
    options: { signal?: AbortSignal; onProgress?: ProgressWatcher } = {},
  ): Promise<InstalledModel> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const joined = this.active(ref)?.download.state === "running";
    const entry = this.startEntry(ref, onProgress);
    const id = entry.download.id;
    let off = () => {};
    let onAbort = () => {};
    try {
      return await new Promise<InstalledModel>((resolve, reject) => {
        const check = (d: Download) => {
          if (d.state === "done") resolve(entry.model!);
          else if (d.state === "error")
            reject(entry.failure ?? new Error(d.error ?? `pull of ${ref} failed`));
          else if (d.state === "cancelled")
            reject(new PullQueueError("cancelled", `the pull of ${ref} was cancelled`));
          else if (d.state === "paused")
            reject(
              new PullQueueError(
                "cancelled",
                `the pull of ${ref} was paused; resume it in Hangar or pull again to go on`,
              ),
            );
        };
        off = this.onChange((d) => {
          if (d.id === id) check(d);
        });
        onAbort = () => {
          reject(signal!.reason);
          if (!joined && entry.download.state === "running") this.pause(id);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    } finally {
      off();
      signal?.removeEventListener("abort", onAbort);
      if (onProgress) entry.watchers.delete(onProgress);
    }
  }

  /** The running or paused pull of a reference. */
  private active(ref: string): Entry | undefined {
    return [...this.entries.values()].find(
      (e) => e.download.ref === ref && (e.download.state === "running" || e.download.state === "paused"),
    );
  }

  private startEntry(ref: string, watcher?: ProgressWatcher): Entry {
    this.options.check?.(ref);
    const existing = this.active(ref);
    if (existing) {
      if (watcher) existing.watchers.add(watcher);
      if (existing.download.state === "paused") this.resume(existing.download.id);
      return existing;
    }
    const at = this.now();
    const download: Download = {
      id: `dl-${this.nextId++}`,
      ref,
      state: "running",
      phase: "resolving",
      completedBytes: 0,
      totalBytes: 0,
      bytesPerSecond: 0,
      etaSeconds: null,
      error: null,
      startedAt: at,
      updatedAt: at,
    };
    const entry: Entry = {
      download,
      controller: null,
      generation: 0,
      lastEmit: 0,
      done: Promise.resolve(),
      watchers: new Set(watcher ? [watcher] : []),
      model: null,
      failure: null,
    };
    this.entries.set(download.id, entry);
    this.prune();
    this.run(entry);
    return entry;
  }

  pause(id: string): Download {
    const entry = this.entry(id);
    if (entry.download.state === "paused") return { ...entry.download };
    if (entry.download.state !== "running")
      throw new PullQueueError("conflict", `download of ${entry.download.ref} is ${entry.download.state}`);
    this.stop(entry);
    this.update(entry, { state: "paused", bytesPerSecond: 0, etaSeconds: null }, true);
    return { ...entry.download };
  }

  resume(id: string): Download {
    const entry = this.entry(id);
    if (entry.download.state === "running") return { ...entry.download };
    if (entry.download.state !== "paused" && entry.download.state !== "error")
      throw new PullQueueError("conflict", `download of ${entry.download.ref} is ${entry.download.state}`);
    // The aborted pull must finish unwinding before a new one touches the same partial files.
    const previous = entry.done;
    const generation = entry.generation;
    delete entry.download.retryable;
    this.update(entry, { state: "running", error: null }, true);
    entry.done = previous.then(() => (entry.generation === generation ? this.attempt(entry) : undefined));
    return { ...entry.download };
  }

  async cancel(id: string): Promise<Download> {
    const entry = this.entry(id);
    const state = entry.download.state;
    if (state === "done" || state === "cancelled")
      throw new PullQueueError("conflict", `download of ${entry.download.ref} is ${state}`);
    this.stop(entry);
    await entry.done;
    this.update(entry, { state: "cancelled", bytesPerSecond: 0, etaSeconds: null }, true);
    // Partials are named by blob, not by model: another running or paused pull may resume from them.
    if (!this.list().some((d) => d.state === "running" || d.state === "paused"))
      await this.options.removePartials?.().catch(() => {});
    return { ...entry.download };
  }

  /**
   * Forgets finished downloads (done, cancelled, failed): those in `ids`, or all of them. Running and
   * paused ones stay. Returns the ids removed; every subscriber hears of them.
   */
  clear(ids?: readonly string[]): string[] {
    const wanted = ids ? new Set(ids) : null;
    const removed: string[] = [];
    for (const [id, e] of this.entries)
      if (FINISHED.includes(e.download.state) && (!wanted || wanted.has(id))) {
        this.entries.delete(id);
        removed.push(id);
      }
    if (removed.length > 0) for (const listener of this.removedListeners) listener(removed);
    return removed;
  }

  /** Called with the ids `clear` removed. */
  onRemoved(listener: RemovedListener): () => void {
    this.removedListeners.add(listener);
    return () => this.removedListeners.delete(listener);
  }

  /** Resolves when the download with this id settles (done, error, paused or cancelled). */
  async settled(id: string): Promise<Download> {
    await this.entry(id).done;
    return this.get(id);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Aborts every running pull (runner shutdown); partial data stays for a later resume. */
  async close(): Promise<void> {
    for (const entry of this.entries.values()) {
      if (entry.download.state === "running") {
        this.stop(entry);
        this.update(entry, { state: "paused", bytesPerSecond: 0, etaSeconds: null }, true);
      }
    }
    await Promise.all([...this.entries.values()].map((e) => e.done));
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new PullQueueError("not_found", `no download with id ${id}`);
    return entry;
  }

  private run(entry: Entry) {
    entry.done = this.attempt(entry);
  }

  private stop(entry: Entry) {
    entry.generation++;
    entry.controller?.abort();
  }

  private async attempt(entry: Entry): Promise<void> {
    const controller = new AbortController();
    const generation = entry.generation;
    const current = () => entry.generation === generation;
    entry.controller = controller;
    entry.failure = null;
    try {
      const model = await this.options.pull(entry.download.ref, {
        signal: controller.signal,
        onProgress: (p) => {
          if (!current()) return;
          for (const watcher of entry.watchers) watcher(p);
          this.progress(entry, p);
        },
      });
      entry.model = model;
      if (current())
        this.update(
          entry,
          {
            state: "done",
            phase: "done",
            completedBytes: entry.download.totalBytes,
            bytesPerSecond: 0,
            etaSeconds: 0,
          },
          true,
        );
    } catch (error) {
      entry.failure = error;
      if (current())
        this.update(
          entry,
          {
            state: "error",
            phase: "error",
            error: humanErrorMessage(error),
            retryable: isRetryable(error),
            bytesPerSecond: 0,
            etaSeconds: null,
          },
          true,
        );
    } finally {
      if (entry.controller === controller) entry.controller = null;
    }
  }

  private progress(entry: Entry, p: PullProgress) {
    const phaseChanged = p.phase !== entry.download.phase;
    this.update(
      entry,
      {
        phase: p.phase === "error" || p.phase === "done" ? entry.download.phase : p.phase,
        completedBytes: p.completedBytes,
        totalBytes: p.totalBytes,
        bytesPerSecond: p.bytesPerSecond,
        etaSeconds: p.etaSeconds,
      },
      phaseChanged,
    );
  }

  private update(entry: Entry, change: Partial<Download>, force: boolean) {
    const at = this.now();
    Object.assign(entry.download, change, { updatedAt: at });
    const interval = this.options.progressIntervalMs ?? 200;
    if (!force && at - entry.lastEmit < interval) return;
    entry.lastEmit = at;
    const snapshot = { ...entry.download };
    for (const listener of this.listeners) listener(snapshot);
  }

  private prune() {
    const keep = this.options.keepFinished ?? 50;
    const finished = [...this.entries.values()].filter((e) => FINISHED.includes(e.download.state));
    const dropped = finished.slice(0, Math.max(0, finished.length - keep)).map((e) => e.download.id);
    if (dropped.length > 0) this.clear(dropped);
  }
}
