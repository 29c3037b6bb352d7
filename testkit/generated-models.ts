/**
 * Test support for the engine's tests and benchmark: generated GGUF models in a temp directory resolved
 * by reference, and a logger that keeps what it is told.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel, type TinyModelOptions } from "./gguf-writer.ts";
import type { LogEntry, Logger, LogLevel, LogSource } from "../electron/runner/logs/types.ts";
import { ModelNotFoundError, type ResolvedModel } from "../electron/runner/models.ts";

export interface GeneratedModels {
  dir: string;
  resolveModel: (ref: string) => Promise<ResolvedModel>;
  cleanup: () => Promise<void>;
}

/** Writes one GGUF per reference and resolves those references (anything else is not installed). */
export async function generateModels(models: Record<string, TinyModelOptions>): Promise<GeneratedModels> {
  const dir = await mkdtemp(join(tmpdir(), "hangar-engine-"));
  const resolved = new Map<string, ResolvedModel>();
  for (const [ref, options] of Object.entries(models)) {
    const path = await writeTinyModel(join(dir, `${resolved.size}.gguf`), {
      contextLength: 1024,
      ...options,
    });
    resolved.set(ref, {
      ref,
      digest: `sha256:${"0".repeat(63)}${resolved.size}`,
      format: "gguf",
      size: (await stat(path)).size,
      architecture: "llama",
      quantization: options.matrixType ?? "F16",
      parameters: null,
      contextLength: options.contextLength ?? 1024,
      source: "local",
      createdAt: new Date(0).toISOString(),
      lastUsedAt: null,
      ggufPaths: [path],
      mmprojPath: null,
      chatTemplate: null,
      params: null,
      systemPrompt: null,
      license: null,
    });
  }
  return {
    dir,
    resolveModel: async (ref) => {
      const model = resolved.get(ref);
      if (!model) throw new ModelNotFoundError(ref);
      return model;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export class MemoryLogger implements Logger {
  readonly entries: Omit<LogEntry, "seq" | "time">[] = [];
  log(entry: Omit<LogEntry, "seq" | "time">): void {
    this.entries.push(entry);
  }
  private at(level: LogLevel, source: LogSource, message: string, fields?: Record<string, unknown>): void {
    this.log({ level, source, message, ...(fields ? { fields } : {}) });
  }
  debug(source: LogSource, message: string, fields?: Record<string, unknown>): void {
    this.at("debug", source, message, fields);
  }
  info(source: LogSource, message: string, fields?: Record<string, unknown>): void {
    this.at("info", source, message, fields);
  }
  warn(source: LogSource, message: string, fields?: Record<string, unknown>): void {
    this.at("warn", source, message, fields);
  }
  error(source: LogSource, message: string, fields?: Record<string, unknown>): void {
    this.at("error", source, message, fields);
  }
}
