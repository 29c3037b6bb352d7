/**
 * The runner's log: a bounded in-memory ring for viewers, a rotating JSON-lines file under
 * $HANGAR_HOME/logs, and subscriptions that get a snapshot, then every later entry in order.
 */
import type { LogEntry, LogLevel, LogSource, Logger } from "./types.ts";
import { RotatingLogFile, type RotatingFileOptions } from "./log-file.ts";

export interface LogFilter {
  /** Minimum level. */
  level?: LogLevel;
  sources?: LogSource[];
  model?: string;
  /** Case-insensitive substring of the message. */
  text?: string;
}

export interface LogSubscription {
  snapshot: LogEntry[];
  unsubscribe(): void;
}

export interface LogHubOptions {
  /** Entries kept in memory (oldest dropped first). */
  capacity?: number;
  /** Where the rotating file goes; omitted: memory only. */
  file?: RotatingFileOptions;
  /** Entries below this level are dropped (the `logLevel` setting); default: none are. */
  level?: LogLevel;
  /** Also echo entries at or above this level to stderr (the CLI's `serve`). */
  echoLevel?: LogLevel;
  now?: () => number;
}

const LEVELS: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function matchesFilter(entry: LogEntry, filter: LogFilter = {}): boolean {
  if (filter.level && LEVELS[entry.level] < LEVELS[filter.level]) return false;
  if (filter.sources && !filter.sources.includes(entry.source)) return false;
  if (filter.model && entry.model !== filter.model) return false;
  if (filter.text && !entry.message.toLowerCase().includes(filter.text.toLowerCase())) return false;
  return true;
}

export class LogHub implements Logger {
  private readonly ring: (LogEntry | undefined)[];
  private start = 0;
  private count = 0;
  private seq = 0;
  private readonly listeners = new Set<{ listener: (e: LogEntry) => void; filter?: LogFilter }>();
  private readonly file: RotatingLogFile | null;
  private readonly now: () => number;
  private level: LogLevel | undefined;

  constructor(private readonly options: LogHubOptions = {}) {
    this.level = options.level;
    this.ring = new Array(options.capacity ?? 10_000);
    this.file = options.file ? new RotatingLogFile(options.file) : null;
    this.now = options.now ?? Date.now;
  }

  /** The `logLevel` setting as of the runner's last start. */
  setLevel(level: LogLevel): void {
    this.level = level;
  }

  get filePath(): string | null {
    return this.file?.path ?? null;
  }

  log(input: Omit<LogEntry, "seq" | "time">): void {
    if (this.level && LEVELS[input.level] < LEVELS[this.level]) return;
    const entry: LogEntry = { seq: ++this.seq, time: this.now(), ...input };
    const capacity = this.ring.length;
    if (this.count < capacity) {
      this.ring[(this.start + this.count) % capacity] = entry;
      this.count++;
    } else {
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % capacity;
    }
    this.file?.write(JSON.stringify(entry));
    if (this.options.echoLevel && LEVELS[entry.level] >= LEVELS[this.options.echoLevel])
      process.stderr.write(
        `${new Date(entry.time).toISOString()} ${entry.level} ${entry.source}: ${entry.message}\n`,
      );
    for (const { listener, filter } of this.listeners) {
      if (!matchesFilter(entry, filter)) continue;
      try {
        listener(entry);
      } catch {
        // A faulty viewer must not break logging for the others.
      }
    }
  }

  debug(source: LogSource, message: string, fields?: Record<string, unknown>): void {
    this.log({ level: "debug", source, message, ...(fields ? { fields } : {}) });
  }
  info(source: LogSource, message: string, fields?: Record<string, unknown>): void {
    this.log({ level: "info", source, message, ...(fields ? { fields } : {}) });
  }
  warn(source: LogSource, message: string, fields?: Record<string, unknown>): void {
    this.log({ level: "warn", source, message, ...(fields ? { fields } : {}) });
  }
  error(source: LogSource, message: string, fields?: Record<string, unknown>): void {
    this.log({ level: "error", source, message, ...(fields ? { fields } : {}) });
  }

  /** Entries still in memory, oldest first, after `sinceSeq` when given, matching `filter`, at most `limit` (the newest). */
  entries(options: LogFilter & { sinceSeq?: number; limit?: number } = {}): LogEntry[] {
    const out: LogEntry[] = [];
    const capacity = this.ring.length;
    for (let i = 0; i < this.count; i++) {
      const entry = this.ring[(this.start + i) % capacity]!;
      if (options.sinceSeq !== undefined && entry.seq <= options.sinceSeq) continue;
      if (matchesFilter(entry, options)) out.push(entry);
    }
    return options.limit !== undefined && out.length > options.limit
      ? out.slice(out.length - options.limit)
      : out;
  }

  /**
   * Snapshot of the ring (after `sinceSeq`), then every new matching entry in order. Logging is
   * synchronous, so nothing can slip between the snapshot and the first live entry.
   */
  subscribe(
    listener: (entry: LogEntry) => void,
    options: LogFilter & { sinceSeq?: number; limit?: number } = {},
  ): LogSubscription {
    const snapshot = this.entries(options);
    const record = { listener, filter: options };
    this.listeners.add(record);
    return { snapshot, unsubscribe: () => void this.listeners.delete(record) };
  }

  get lastSeq(): number {
    return this.seq;
  }
}
