/** Runner settings as the UI edits them. The runner checks them again and rejects invalid values. */
import { logLevels, type LogLevelName } from "./logs.ts";
import { noParams, v, type Infer, type Validator } from "./validate.ts";

export interface Settings {
  host: string;
  port: number;
  /** Extra origins browsers may call the API from; loopback origins and the app's own are always allowed. */
  corsOrigins: string[];
  /** Bearer keys; required when the runner listens beyond loopback. */
  apiKeys: string[];
  /** Host names (besides loopback names) that may appear in the Host header. */
  allowedHosts: string[];
  /** Seconds an idle model stays loaded; negative keeps it forever, 0 unloads after each request. */
  keepAliveSeconds: number;
  /** null: a share of total RAM chosen by the engine. */
  memoryBudgetBytes: number | null;
  /** null: physical cores. */
  threads: number | null;
  /** Parallel sequences per loaded model. */
  parallel: number;
  /** Default context size per sequence. */
  contextSize: number;
  gpu: "auto" | false;
  useMmap: boolean;
  /** null: the store's default under the Hangar home. */
  modelsDir: string | null;
  closeToTray: boolean;
  /** Lowest level the runner logs; "debug" adds llama.cpp's detailed lines (tensors, buffers). */
  logLevel: LogLevelName;
  /**
   * Tools whose model folders are not read (all are by default): "ollama", "lmstudio",
   * "huggingface-cache", "llama-cpp-cache", "docker-model-runner", "jan".
   */
  discoveryDisabled: string[];
  /** More folders to use models from in place: another tool's folder (its layout is recognised) or loose GGUF files. */
  discoveryFolders: string[];
}

const strings = (max: number) => v.array(v.string({ min: 1, max }), { max: 100 });

export const settingsPatch = v.object({
  host: v.optional(v.string({ min: 1, max: 253 })),
  port: v.optional(v.number({ integer: true, min: 0, max: 65535 })),
  corsOrigins: v.optional(strings(300)),
  apiKeys: v.optional(strings(200)),
  allowedHosts: v.optional(strings(253)),
  keepAliveSeconds: v.optional(v.number({ integer: true, min: -1, max: 31_536_000 })),
  memoryBudgetBytes: v.optional(v.nullable(v.number({ integer: true, min: 0 }))),
  threads: v.optional(v.nullable(v.number({ integer: true, min: 1, max: 1024 }))),
  parallel: v.optional(v.number({ integer: true, min: 1, max: 64 })),
  contextSize: v.optional(v.number({ integer: true, min: 256, max: 1_048_576 })),
  gpu: v.optional(v.literal("auto", false)),
  useMmap: v.optional(v.boolean()),
  modelsDir: v.optional(v.nullable(v.string({ min: 1, max: 4096 }))),
  closeToTray: v.optional(v.boolean()),
  logLevel: v.optional(v.literal(...logLevels)),
  discoveryDisabled: v.optional(strings(64)),
  discoveryFolders: v.optional(strings(4096)),
});
export type SettingsPatch = Infer<typeof settingsPatch>;

export const settingsMethods = {
  "settings.get": noParams,
  "settings.update": settingsPatch,
} satisfies Record<string, Validator<unknown>>;

export interface SettingsMethodResults {
  "settings.get": Settings;
  "settings.update": Settings;
}
