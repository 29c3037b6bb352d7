/**
 * Whether llama-server's 4-stream lead comes from its KV cache layout: llama-server at its defaults
 * (4 slots, one unified KV buffer) against `-np 4` (4 slots, one KV stream per sequence, the layout
 * node-llama-cpp 3.21 creates and cannot change), 4 concurrent streams each, alternating.
 *
 *   node --import tsx bench/peer/kv-layout.ts [ROUNDS]
 */
import { ensureLlamaServer } from "./llama-server-build.ts";
import { ensurePeerModel } from "./peer-model.ts";
import { startLlamaServer } from "./servers.ts";
import { concurrentStreams, streamChat } from "./stream-client.ts";

const rounds = Number(process.argv[2]) || 2;
const binary = await ensureLlamaServer();
const model = await ensurePeerModel();
const layouts: Record<string, string[]> = {
  "unified (defaults)": [],
  "per-sequence (-np 4)": ["-np", "4"],
  "per-sequence, -np 4 --kv-unified": ["-np", "4", "--kv-unified"],
};
for (let round = 0; round < rounds; round++) {
  const names = Object.keys(layouts);
  for (const name of round % 2 ? names.reverse() : names) {
    // Enough HTTP threads for 4 streams whatever the core count (the default can be fewer here).
    const server = await startLlamaServer(binary, model, 18_695, [...layouts[name]!, "--threads-http", "8"]);
    let stderr = "";
    server.child.stderr?.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-1500)));
    try {
      const bodies = [0, 1, 2, 3].map((i) => ({
        model: server.model,
        prompt: `${round}${i} hello there`,
        maxTokens: 48,
      }));
      // One request first; then the health check's idle keep-alive connection is let go (it holds
      // one of llama-server's HTTP threads until its 5 s timeout).
      await streamChat(server.baseUrl, { ...bodies[0]!, maxTokens: 4 });
      await new Promise((r) => setTimeout(r, 6000));
      const { aggregate } = await concurrentStreams(server.baseUrl, bodies);
      console.log(`${name.padEnd(34)} 4 streams ${aggregate.toFixed(1)} tok/s`);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}\n${stderr}`, { cause: error });
    } finally {
      await server.stop();
    }
  }
}
