/**
 * llama.cpp's own log lines, from inside an inference worker to the runner's log. node-llama-cpp hands
 * them over one at a time (it joins llama.cpp's partial lines, but the progress dots printed while a
 * model loads arrive as separate "." messages). llama.cpp prints a block of related lines per step:
 * the model's hyperparameters, the context and KV cache set-up, the compute buffers. Blank lines and
 * dots are dropped, and consecutive info/debug lines of one block (same level, same `function:` tag)
 * become one entry, `tag: a = 1; b = 2`, so that loading a model makes about a dozen entries instead of
 * a hundred and fifty lines, and each entry still fits one row of the log viewer.
 */
import { LlamaLogLevel } from "node-llama-cpp";
import type { LogLevel } from "../../logs/types.ts";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The lowest level to ask node-llama-cpp for: lines below it are filtered in the addon and cost nothing. */
export function llamaLogLevelFor(level: LogLevel): LlamaLogLevel {
  switch (level) {
    case "debug":
      return LlamaLogLevel.debug;
    case "info":
      return LlamaLogLevel.info;
    case "warn":
      return LlamaLogLevel.warn;
    case "error":
      return LlamaLogLevel.error;
    default:
      return level satisfies never;
  }
}

/** node-llama-cpp's "log" level sits between info and debug; for the runner it is debug. */
export function runnerLevelOf(level: LlamaLogLevel): LogLevel {
  switch (level) {
    case LlamaLogLevel.fatal:
    case LlamaLogLevel.error:
      return "error";
    case LlamaLogLevel.warn:
      return "warn";
    case LlamaLogLevel.info:
      return "info";
    case LlamaLogLevel.log:
    case LlamaLogLevel.debug:
    case LlamaLogLevel.disabled:
      return "debug";
    default:
      return level satisfies never;
  }
}

/** Info lines that dump the GGUF header (which Hangar shows in the model's details) rather than say what happened. */
const HEADER_DUMP = /^llama_model_loader: (- kv |- type |Dumping metadata)/;
const TAGGED = /^([A-Za-z_~][\w~]*): +(.*)$/;
/** An entry grows up to this many characters before the next line of its block starts a new one. */
const MAX_ENTRY = 2000;

export interface LlamaLogForwarderOptions {
  /** Lines below this level are dropped. */
  level: LogLevel;
  /** How long a block may wait for its next line before it is sent. */
  flushMs?: number;
}

export class LlamaLogForwarder {
  private block: { level: LogLevel; tag: string; parts: string[]; length: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly level: LogLevel;
  private readonly flushMs: number;
  /** While set, only warnings and errors pass (a second load of the same model repeats the first's lines). */
  quiet = false;

  constructor(
    private readonly emit: (level: LogLevel, message: string) => void,
    options: LlamaLogForwarderOptions,
  ) {
    this.level = options.level;
    this.flushMs = options.flushMs ?? 100;
  }

  /** node-llama-cpp's logger: one message, which may hold several lines. */
  write(level: LlamaLogLevel, text: string): void {
    for (const raw of text.split("\n")) {
      const line = raw.trimEnd();
      if (/^[\s.]*$/.test(line)) continue;
      let runnerLevel = runnerLevelOf(level);
      if (runnerLevel === "info" && HEADER_DUMP.test(line)) runnerLevel = "debug";
      if (RANK[runnerLevel] < Math.max(RANK[this.level], this.quiet ? RANK.warn : 0)) continue;
      this.add(runnerLevel, line);
    }
  }

  /** Sends the block being collected; call it before anything else the worker sends, to keep the order. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const block = this.block;
    this.block = undefined;
    if (block) this.emit(block.level, `${block.tag}: ${joinParts(block.parts)}`);
  }

  private add(level: LogLevel, line: string): void {
    const match = TAGGED.exec(line);
    // Warnings and errors go out at once and alone; so do lines without a tag.
    if (!match || RANK[level] >= RANK.warn) {
      this.flush();
      this.emit(level, line.trimStart());
      return;
    }
    const tag = match[1]!;
    const part = match[2]!.replace(/\s+/g, " ").trim();
    const block = this.block;
    if (block && block.level === level && block.tag === tag && block.length + part.length < MAX_ENTRY) {
      block.parts.push(part);
      block.length += part.length + 2;
      return;
    }
    this.flush();
    this.block = { level, tag, parts: [part], length: tag.length + part.length + 2 };
    this.timer = setTimeout(() => this.flush(), this.flushMs);
    // A pending block must not keep the worker alive.
    this.timer.unref();
  }
}

/** "a = 1; b = 2", except that a line ending in ":" introduces the next one ("EOG tokens: - 2; - 260"). */
function joinParts(parts: string[]): string {
  return parts.reduce((text, part) => (text.endsWith(":") ? `${text} ${part}` : `${text}; ${part}`));
}
