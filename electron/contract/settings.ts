/** Runner settings as the UI edits them. The runner checks them again and rejects invalid values. */
import { v, type Infer, type Validator } from "./validate.ts";
import { noParams } from "./runner.ts";

export interface Settings {
  host: string;
  port: number;
  /** Origins allowed to call the API from a browser (exact origins, or "*"). */
  corsOrigins: string[];
  /** API keys; when any is set, requests must carry one as a Bearer token. */
  apiKeys: string[];
  /** Seconds an idle model stays loaded; negative keeps it forever, 0 unloads after each request. */
  keepAliveSeconds: number;
  /** Memory Hangar may use for models, in bytes; 0 = automatic (free memory). */
  memoryBudgetBytes: number;
  /** Inference threads; 0 = automatic. */
  threads: number;
  parallelSequences: number;
  contextSize: number;
  modelsDir: string;
  closeToTray: boolean;
}

export const settingsPatch = v.object({
  host: v.optional(v.string({ min: 1, max: 253 })),
  port: v.optional(v.number({ integer: true, min: 0, max: 65535 })),
  corsOrigins: v.optional(v.array(v.string({ min: 1, max: 300 }), { max: 100 })),
  apiKeys: v.optional(v.array(v.string({ min: 8, max: 200 }), { max: 100 })),
  keepAliveSeconds: v.optional(v.number({ integer: true, min: -1, max: 31_536_000 })),
  memoryBudgetBytes: v.optional(v.number({ integer: true, min: 0 })),
  threads: v.optional(v.number({ integer: true, min: 0, max: 1024 })),
  parallelSequences: v.optional(v.number({ integer: true, min: 1, max: 64 })),
  contextSize: v.optional(v.number({ integer: true, min: 256, max: 1_048_576 })),
  modelsDir: v.optional(v.string({ min: 1, max: 4096 })),
  closeToTray: v.optional(v.boolean()),
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
