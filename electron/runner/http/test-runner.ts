/**
 * Test fixture: a real runner on a temp $HANGAR_HOME with a generated tiny GGUF imported into its store.
 * Seed 2 answers "{}" under the JSON grammar, so constrained output ends within a few tokens.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTinyModel } from "../../../e2e/fixtures/gguf-writer.ts";
import { createRunner, type Runner, type RunnerOptions } from "../runner.ts";
import type { Settings } from "../settings/settings.ts";
import { ModelStore } from "../store/model-store.ts";
import { importGguf } from "../distribution/packaging/package-model.ts";

export const TINY_MODEL = "local/tiny:1";

export interface TestRunner {
  runner: Runner;
  url: string;
  home: string;
  close(): Promise<void>;
}

export async function startTestRunner(
  settings: Partial<Settings> = {},
  options: {
    withModel?: boolean;
    start?: boolean;
    createEngine?: RunnerOptions["createEngine"];
    /** The model's trained context (1024 unless told); the runner's contextSize is capped at it. */
    contextLength?: number;
  } = {},
): Promise<TestRunner> {
  const home = await mkdtemp(join(tmpdir(), "hangar-http-"));
  try {
    const library = new ModelStore({ root: join(home, "models") });
    if (options.withModel !== false) {
      const gguf = await writeTinyModel(join(home, "tiny.gguf"), {
        seed: 2,
        contextLength: options.contextLength ?? 1024,
      });
      await importGguf(library, gguf, TINY_MODEL);
    }
    const runner = await createRunner({
      home,
      env: { HANGAR_HOME: home },
      store: library,
      ...(options.createEngine ? { createEngine: options.createEngine } : {}),
      settings: {
        host: "127.0.0.1",
        port: 0,
        threads: 2,
        gpu: false,
        parallel: 2,
        contextSize: 512,
        ...settings,
      },
    });
    const status = options.start === false ? null : await runner.start();
    return {
      runner,
      url: status?.url ?? "",
      home,
      async close() {
        await runner.close();
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
}
