/**
 * The runner side of `logs.tail`: the hub's held lines as the snapshot, then new lines in small
 * batches (one message per ~50 ms instead of one per llama.cpp line).
 */
import type { LogLine } from "../../contract/logs.ts";
import type { LogEntry } from "../logs/types.ts";
import type { LogFilter as HubFilter, LogSubscription } from "../logs/log-hub.ts";
import type { Handlers } from "./dispatcher.ts";

// The contract's LogLine mirrors the runner's LogEntry; this fails to compile if they drift apart.
const _sameShape: (entry: LogEntry) => LogLine = (entry) => entry;

export interface LogSource {
  subscribe(
    listener: (entry: LogEntry) => void,
    options?: HubFilter & { sinceSeq?: number; limit?: number },
  ): LogSubscription;
}

const BATCH_MS = 50;
const DEFAULT_SNAPSHOT_LIMIT = 100_000;

export function logsHandlers(hub: LogSource): Handlers {
  return {
    methods: {},
    streams: {
      "logs.tail": (params, sink) => {
        const levels = params?.levels && params.levels.length > 0 ? new Set(params.levels) : null;
        const keep = (e: LogEntry) => levels === null || levels.has(e.level);
        let pending: LogLine[] = [];
        let timer: ReturnType<typeof setTimeout> | null = null;
        const flush = () => {
          timer = null;
          const lines = pending;
          pending = [];
          if (lines.length > 0) sink.delta({ lines });
        };
        const subscription = hub.subscribe(
          (entry) => {
            if (!keep(entry)) return;
            pending.push(entry);
            timer ??= setTimeout(flush, BATCH_MS);
          },
          {
            ...(params?.sources && params.sources.length > 0 ? { sources: params.sources } : {}),
            ...(params?.model ? { model: params.model } : {}),
            limit: params?.limit ?? DEFAULT_SNAPSHOT_LIMIT,
          },
        );
        sink.snapshot({ lines: subscription.snapshot.filter(keep) });
        return () => {
          if (timer) clearTimeout(timer);
          subscription.unsubscribe();
        };
      },
    },
  };
}
