import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openLibrary } from "../local-store.ts";
import { ModelNotFoundError } from "../../runner/models.ts";
import { readGgufSummary } from "../../runner/gguf/metadata.ts";
import { estimateModelMemory, formatMemoryReport } from "../../runner/gguf/model-memory.ts";
import { formatSize } from "../progress-bar.ts";

const bigintSafe = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

export const inspect: Command = {
  name: "inspect",
  usage: "inspect REF [--json] [--context N]   manifest, config, GGUF metadata and a memory estimate",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: "boolean" }, context: { type: "string" } },
    });
    if (positionals.length !== 1) throw new Error("usage: hangar inspect REF");
    const library = await openLibrary();
    const resolved = await library.resolve(positionals[0]!);
    // A model used in place from another tool's folder has no manifest in Hangar's store.
    const stored = await library.store.get(positionals[0]!).catch((error: unknown) => {
      if (error instanceof ModelNotFoundError) return null;
      throw error;
    });
    const summary = await readGgufSummary(resolved.ggufPaths[0]!);
    const contextSize = values.context === undefined ? undefined : Number(values.context);
    const memory = await estimateModelMemory(resolved.ggufPaths, { contextSize });
    const metadata = Object.fromEntries(
      Object.entries(summary.metadata).filter(([, v]) => !Array.isArray(v) || v.length <= 50),
    );
    if (values.json) {
      const out = {
        model: resolved,
        manifest: stored?.manifest ?? null,
        config: stored?.config ?? null,
        files: [...resolved.ggufPaths, ...(resolved.mmprojPath ? [resolved.mmprojPath] : [])],
        metadata,
        memory: memory.estimate,
      };
      console.log(JSON.stringify(out, bigintSafe, 2));
      return 0;
    }
    console.log(`${resolved.ref}  ${resolved.digest}`);
    console.log(`format ${resolved.format}, source ${resolved.source}, ${formatSize(resolved.size)}`);
    if (resolved.location !== undefined) console.log(`used in place from ${resolved.location} (read-only)`);
    console.log(
      `${resolved.architecture ?? "?"} ${resolved.parameters ?? "?"} ${resolved.quantization ?? "?"}, context ${resolved.contextLength ?? "?"}`,
    );
    if (stored) {
      console.log("\nlayers:");
      for (const l of stored.manifest.layers)
        console.log(`  ${l.mediaType}  ${l.digest.slice(0, 19)}  ${formatSize(l.size)}`);
    } else {
      console.log("\nfiles:");
      for (const f of [...resolved.ggufPaths, ...(resolved.mmprojPath ? [resolved.mmprojPath] : [])])
        console.log(`  ${f}`);
    }
    console.log("\nmemory:");
    for (const line of formatMemoryReport(memory)) console.log(`  ${line}`);
    console.log("\nGGUF metadata:");
    for (const [k, v] of Object.entries(metadata)) console.log(`  ${k} = ${JSON.stringify(v, bigintSafe)}`);
    return 0;
  },
};
