import { runnerClient } from "../runner-client.ts";
import type { Command } from "../command.ts";

interface PsModel {
  name: string;
  size: number;
  size_vram: number;
  expires_at: string;
  context_length: number;
  /** Hangar's own field: "mapped" (read from the file) or "memory". */
  weights?: string;
}

const gib = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GiB`;

function until(expiresAt: string): string {
  const ms = Date.parse(expiresAt) - Date.now();
  if (ms > 100 * 365 * 24 * 3600 * 1000) return "forever";
  if (ms <= 0) return "now";
  const s = Math.round(ms / 1000);
  return s < 120 ? `in ${s} s` : `in ${Math.round(s / 60)} min`;
}

export const ps: Command = {
  name: "ps",
  usage: "ps                            list loaded models",
  async run() {
    const client = await runnerClient();
    const { models } = await client.json<{ models: PsModel[] }>("/api/ps");
    const rows = [
      ["NAME", "SIZE", "PROCESSOR", "WEIGHTS", "CONTEXT", "UNLOADS"],
      ...models.map((m) => [
        m.name,
        gib(m.size),
        m.size_vram > 0 ? "GPU" : "CPU",
        m.weights ?? "-",
        String(m.context_length),
        until(m.expires_at),
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows)
      console.log(
        row
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
      );
    return 0;
  },
};
