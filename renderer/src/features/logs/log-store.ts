/**
 * The log viewer's state. Lines live in a capped buffer (oldest dropped, with a count shown); the
 * visible list is the buffer through the filters. Both arrays are large (100k lines), so they are
 * mutated in place and `version` changes whenever they do — copying 100k items per batch would cost
 * more than rendering. New lines are applied once per animation frame.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import type { Bridge, Unsubscribe } from "../../../../electron/contract/api.ts";
import type { LogLevelName, LogLine, LogSourceName } from "../../../../electron/contract/logs.ts";

export const DEFAULT_CAPACITY = 100_000;

export interface LogFilters {
  levels: ReadonlySet<LogLevelName>;
  sources: ReadonlySet<LogSourceName>;
  /** null: every model (and lines without one). */
  model: string | null;
  search: string;
}

export interface LogState {
  /** Every held line, oldest first (capped). */
  readonly buffer: LogLine[];
  /** The lines shown: the buffer through the filters, frozen while paused. */
  readonly visible: LogLine[];
  version: number;
  filters: LogFilters;
  paused: boolean;
  /** Lines that arrived since the view was paused (they are kept, and shown on resume). */
  arrivedWhilePaused: number;
  /** Lines dropped because the buffer was full. */
  dropped: number;
  follow: boolean;
  models: string[];
  expanded: ReadonlySet<number>;
  connected: boolean;
  error: string | null;

  connect(): void;
  disconnect(): void;
  append(lines: LogLine[]): void;
  setFilters(patch: Partial<LogFilters>): void;
  toggleLevel(level: LogLevelName): void;
  toggleSource(source: LogSourceName): void;
  pause(): void;
  resume(): void;
  setFollow(follow: boolean): void;
  clear(): void;
  toggleExpanded(seq: number): void;
  exportText(): string;
}

export interface LogStoreOptions {
  capacity?: number;
  scheduleFrame?: (flush: () => void) => void;
}

export type LogStore = StoreApi<LogState>;

const ALL_LEVELS: LogLevelName[] = ["debug", "info", "warn", "error"];
const ALL_SOURCES: LogSourceName[] = ["runner", "engine", "http", "store"];

export function matches(line: LogLine, filters: LogFilters): boolean {
  if (!filters.levels.has(line.level) || !filters.sources.has(line.source)) return false;
  if (filters.model !== null && line.model !== filters.model) return false;
  if (filters.search) {
    const needle = filters.search.toLowerCase();
    if (
      !line.message.toLowerCase().includes(needle) &&
      !(line.request?.path.toLowerCase().includes(needle) ?? false)
    )
      return false;
  }
  return true;
}

/** One line as text, for export. */
export function formatLine(line: LogLine): string {
  const time = new Date(line.time).toISOString();
  const model = line.model ? ` [${line.model}]` : "";
  const request = line.request
    ? ` ${line.request.method} ${line.request.path} ${line.request.status} ${line.request.latencyMs}ms`
    : "";
  return `${time} ${line.level.toUpperCase()} ${line.source}${model}${request} ${line.message}`;
}

export function createLogStore(bridge: Bridge, options: LogStoreOptions = {}): LogStore {
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  const scheduleFrame =
    options.scheduleFrame ?? ((flush: () => void) => void requestAnimationFrame(() => flush()));
  const buffer: LogLine[] = [];
  const visible: LogLine[] = [];
  const models = new Set<string>();
  let incoming: LogLine[] = [];
  let frameScheduled = false;
  let subscription: Unsubscribe | null = null;
  /** Lines up to this seq were cleared by the user; a later snapshot must not bring them back. */
  let clearedThrough = 0;

  return createStore<LogState>()((set, get) => {
    const bump = (extra: Partial<LogState> = {}) => set({ ...extra, version: get().version + 1 });

    const refilter = () => {
      visible.length = 0;
      const filters = get().filters;
      for (const line of buffer) if (matches(line, filters)) visible.push(line);
    };

    /** Drops the oldest lines beyond capacity (in one splice, so trimming stays cheap). */
    const trim = (): number => {
      const excess = buffer.length - capacity;
      if (excess <= 0) return 0;
      buffer.splice(0, excess);
      const oldest = buffer[0]?.seq ?? Infinity;
      let cut = 0;
      while (cut < visible.length && visible[cut]!.seq < oldest) cut++;
      if (cut > 0) visible.splice(0, cut);
      return excess;
    };

    const flush = () => {
      frameScheduled = false;
      if (incoming.length === 0) return;
      const lines = incoming;
      incoming = [];
      const { paused, filters } = get();
      let newModels = false;
      for (const line of lines) {
        buffer.push(line);
        if (line.model && !models.has(line.model)) {
          models.add(line.model);
          newModels = true;
        }
        if (!paused && matches(line, filters)) visible.push(line);
      }
      const dropped = trim();
      bump({
        ...(paused ? { arrivedWhilePaused: get().arrivedWhilePaused + lines.length } : {}),
        ...(dropped > 0 ? { dropped: get().dropped + dropped } : {}),
        ...(newModels ? { models: [...models].sort() } : {}),
      });
    };

    return {
      buffer,
      visible,
      version: 0,
      filters: { levels: new Set(ALL_LEVELS), sources: new Set(ALL_SOURCES), model: null, search: "" },
      paused: false,
      arrivedWhilePaused: 0,
      dropped: 0,
      follow: true,
      models: [],
      expanded: new Set(),
      connected: false,
      error: null,

      connect() {
        if (subscription) return;
        subscription = bridge.subscribe("logs.tail", { limit: capacity }, (event) => {
          if (event.kind === "snapshot") {
            buffer.length = 0;
            visible.length = 0;
            incoming = [];
            get().append(event.data.lines.filter((line) => line.seq > clearedThrough));
            set({ connected: true, error: null });
          } else if (event.kind === "delta") get().append(event.data.lines);
          else if (event.kind === "error") {
            subscription = null;
            set({ connected: false, error: event.error.message });
          } else {
            subscription = null;
            set({ connected: false });
          }
        });
      },
      disconnect() {
        subscription?.();
        subscription = null;
        set({ connected: false });
      },
      append(lines) {
        if (lines.length === 0) return;
        for (const line of lines) incoming.push(line);
        if (!frameScheduled) {
          frameScheduled = true;
          scheduleFrame(flush);
        }
      },
      setFilters(patch) {
        set({ filters: { ...get().filters, ...patch } });
        if (!get().paused) refilter();
        bump();
      },
      toggleLevel(level) {
        const levels = new Set(get().filters.levels);
        if (levels.has(level)) levels.delete(level);
        else levels.add(level);
        get().setFilters({ levels });
      },
      toggleSource(source) {
        const sources = new Set(get().filters.sources);
        if (sources.has(source)) sources.delete(source);
        else sources.add(source);
        get().setFilters({ sources });
      },
      pause() {
        if (!get().paused) set({ paused: true, arrivedWhilePaused: 0, follow: false });
      },
      resume() {
        if (!get().paused) return;
        set({ paused: false, arrivedWhilePaused: 0, follow: true });
        refilter();
        bump();
      },
      setFollow(follow) {
        if (get().follow !== follow) set({ follow });
      },
      clear() {
        clearedThrough = Math.max(clearedThrough, incoming.at(-1)?.seq ?? 0, buffer.at(-1)?.seq ?? 0);
        buffer.length = 0;
        visible.length = 0;
        incoming = [];
        bump({ arrivedWhilePaused: 0, dropped: 0, expanded: new Set() });
      },
      toggleExpanded(seq) {
        const expanded = new Set(get().expanded);
        if (expanded.has(seq)) expanded.delete(seq);
        else expanded.add(seq);
        set({ expanded });
      },
      exportText() {
        return visible.map(formatLine).join("\n") + (visible.length > 0 ? "\n" : "");
      },
    };
  });
}
