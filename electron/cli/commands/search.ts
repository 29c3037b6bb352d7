import { parseArgs } from "node:util";
import type { CatalogEntry } from "../../contract/catalog.ts";
import { search as searchModels } from "../../runner/catalog/search.ts";
import { hfClientFromEnv } from "../../runner/distribution/huggingface/client.ts";
import { formatBytes } from "../../runner/gguf/model-memory.ts";
import type { Command } from "../command.ts";

function column(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 2)}… ` : text.padEnd(width);
}

/** One line per curated variant (the reference to pull it by) and one per Hugging Face repository. */
export function formatSearchTable(entries: CatalogEntry[]): string {
  const lines = [
    `${column("REFERENCE", 52)}${column("MODEL", 30)}${column("PARAMS", 8)}${column("QUANT", 12)}SIZE`,
  ];
  for (const e of entries) {
    for (const v of e.variants) {
      const ref = v.refs[0];
      if (!ref) continue;
      const size = v.sizeBytes === null ? "-" : formatBytes(v.sizeBytes);
      const name = e.origin === "huggingface" ? `${e.downloads ?? 0} downloads` : e.name;
      lines.push(
        `${column(ref, 52)}${column(name, 30)}${column(e.parameters ?? "-", 8)}${column(v.quantization, 12)}${size}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

export const search: Command = {
  name: "search",
  usage: "search QUERY [--json]         find models in the curated catalog and on Hugging Face",
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { json: { type: "boolean" }, limit: { type: "string" }, offline: { type: "boolean" } },
      });
    } catch (err) {
      process.stderr.write(`hangar search: ${(err as Error).message}\n`);
      return 2;
    }
    const query = parsed.positionals.join(" ").trim();
    if (!query) {
      process.stderr.write("hangar search: give a query, e.g. hangar search gemma\n");
      return 2;
    }
    const limit = parsed.values.limit === undefined ? 20 : Number(parsed.values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      process.stderr.write(
        `hangar search: --limit must be an integer from 1 to 100 (got ${parsed.values.limit})\n`,
      );
      return 2;
    }
    let client;
    try {
      client = hfClientFromEnv();
    } catch (err) {
      process.stderr.write(`hangar search: ${(err as Error).message}\n`);
      return 2;
    }
    const result = await searchModels(query, {
      ...client,
      limit,
      curatedOnly: parsed.values.offline === true,
    });
    if (parsed.values.json) {
      process.stdout.write(JSON.stringify(result, null, 2) + "\n");
      return 0;
    }
    if (result.entries.length === 0) process.stdout.write(`no models match "${query}"\n`);
    else process.stdout.write(formatSearchTable(result.entries));
    if (result.searchError)
      process.stderr.write(`note: ${result.searchError}; showing the curated catalog only\n`);
    return 0;
  },
};
