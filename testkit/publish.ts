/** Publishes a generated tiny model on a test registry, as a model author would with `hangar push`. */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { writeTinyModel, type TinyModelOptions } from "./gguf-writer.ts";
import type { RunningRegistry } from "./registry.ts";
import { ModelStore } from "../electron/runner/store/model-store.ts";
import { importGguf } from "../electron/runner/distribution/packaging/package-model.ts";
import { pushModel } from "../electron/runner/distribution/push-model.ts";

/**
 * Writes the model in `dir` (with the publisher's own store and home there), pushes it as
 * `<registry>/<repository>` and returns the GGUF's size in bytes.
 */
export async function publishTinyModel(
  registry: RunningRegistry,
  dir: string,
  repository: string,
  model: TinyModelOptions,
): Promise<number> {
  const name = repository.replace(/[^a-z0-9]+/gi, "-");
  const gguf = await writeTinyModel(join(dir, `${name}.gguf`), model);
  const publisher = new ModelStore({ root: join(dir, "publisher") });
  await importGguf(publisher, gguf, `${registry.host}/${repository}`);
  await pushModel(publisher, `${registry.host}/${repository}`, { env: { HANGAR_HOME: join(dir, "p") } });
  return (await stat(gguf)).size;
}
