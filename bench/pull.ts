/**
 * Pull throughput and resume figures:
 *  - a 512 MiB blob served by the loopback docker-registry, fetched by `curl -o` and by a Hangar pull
 *    (verified, into a fresh store); the ratio is Hangar's throughput over curl's (goal ≥ 0.9). Both
 *    also timed until the bytes are on disk: `curl -o` then `sync FILE`, and the pull's background fsync;
 *  - the same through a proxy that holds each connection to about a gigabit, as a real network would;
 *  - a pull killed with SIGKILL at about half way, then resumed: bytes served again (through a counting
 *    proxy) against the blob size.
 */
import { spawn, execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { randomBytes, createHash } from "node:crypto";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { startRegistry, startProxy } from "../testkit/registry.ts";
import { OciClient } from "../electron/runner/distribution/registry/oci-client.ts";
import { ModelStore } from "../electron/runner/store/model-store.ts";
import { sha256Digest } from "../electron/runner/store/blob-store.ts";
import * as mt from "../electron/runner/artifact/media-types.ts";
import { pullModel } from "../electron/runner/distribution/pull.ts";

const SIZE = Number(process.env.HANGAR_BENCH_PULL_MIB ?? 512) * 1024 * 1024;
const MiB = 1024 * 1024;
const execFileAsync = promisify(execFile);
/** The per-connection rate of the throttled link (about a gigabit network). */
const NETWORK_MIB_S = Number(process.env.HANGAR_BENCH_LINK_MIB_S ?? 100);

async function writeRandomFile(path: string, size: number): Promise<string> {
  const out = createWriteStream(path);
  const hash = createHash("sha256");
  for (let done = 0; done < size; done += 4 * MiB) {
    const chunk = randomBytes(Math.min(4 * MiB, size - done));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
  return `sha256:${hash.digest("hex")}`;
}

export async function run(): Promise<Record<string, string | number>> {
  const dir = await mkdtemp(join(tmpdir(), "hangar-bench-pull-"));
  const registry = await startRegistry();
  try {
    const file = join(dir, "blob.bin");
    const digest = await writeRandomFile(file, SIZE);
    const client = new OciClient({ registry: registry.host, credentials: null });
    const body = () => Readable.toWeb(createReadStream(file, { highWaterMark: MiB })) as unknown as BodyInit;
    await client.pushBlob("bench/big", { digest, size: SIZE, body });
    const config = JSON.stringify({
      config: { format: "gguf", architecture: "bench" },
      rootfs: { type: "layers", diff_ids: [digest] },
    });
    await client.pushBlob("bench/big", {
      digest: sha256Digest(config),
      size: Buffer.byteLength(config),
      body: () => config,
    });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: mt.OCI_MANIFEST,
      config: {
        mediaType: mt.DOCKER_MODEL_CONFIG,
        digest: sha256Digest(config),
        size: Buffer.byteLength(config),
      },
      layers: [{ mediaType: mt.DOCKER_GGUF, digest, size: SIZE }],
    });
    await client.putManifest("bench/big", "1", manifest, mt.OCI_MANIFEST);
    const ref = `${registry.host}/bench/big:1`;

    // Warm the page cache for the registry's copy so neither side pays the first read from disk.
    execFileSync("curl", ["-s", "-o", "/dev/null", `${registry.url}/v2/bench/big/blobs/${digest}`]);
    // curl -o as it is (its bytes may still be in the page cache when it exits), and curl -o followed
    // by a sync of the file, which is what Hangar does before a blob enters the store.
    const curl = (durable: boolean) => {
      const out = join(dir, "curl.bin");
      const start = performance.now();
      execFileSync("curl", ["-s", "-f", "-o", out, `${registry.url}/v2/bench/big/blobs/${digest}`]);
      if (durable) execFileSync("sync", [out]);
      const seconds = (performance.now() - start) / 1000;
      execFileSync("rm", [out]);
      execFileSync("sync");
      return seconds;
    };
    const curlSeconds = curl(false);
    const curlSyncSeconds = curl(true);
    let t: number;
    const results: Record<string, string | number> = {};
    for (const parts of [1, 4]) {
      const store = new ModelStore({ root: join(dir, `store-${parts}`) });
      t = performance.now();
      await pullModel(store, ref, { parts });
      const seconds = (performance.now() - t) / 1000;
      // The blob's final fsync runs in the background after the pull: until it ends, a marker makes a
      // reboot re-verify the blob. Timed too, against curl -o followed by a sync.
      await store.blobs.flush();
      const durableSeconds = (performance.now() - t) / 1000;
      results[`hangar pull MiB/s (${parts} part${parts > 1 ? "s" : ""})`] = (SIZE / MiB / seconds).toFixed(0);
      const label = `${parts} part${parts > 1 ? "s" : ""}`;
      results[`ratio vs curl -o (${label})`] = (curlSeconds / seconds).toFixed(2);
      results[`on disk (fsync done) MiB/s (${label})`] = (SIZE / MiB / durableSeconds).toFixed(0);
      results[`on disk: ratio vs curl -o + sync (${label})`] = (curlSyncSeconds / durableSeconds).toFixed(2);
      await rm(join(dir, `store-${parts}`), { recursive: true, force: true });
      execFileSync("sync");
    }

    // A network rather than loopback: each connection held to NETWORK_MIB_S by the proxy, as a link
    // or a CDN would. Here the rates, not the CPU, set the pace.
    const network = await startProxy({ upstream: registry.url, throttle: NETWORK_MIB_S * MiB });
    try {
      const start = performance.now();
      // Not execFileSync: the proxy runs in this process and must keep serving.
      await execFileAsync("curl", [
        "-s",
        "-f",
        "-o",
        join(dir, "curl.bin"),
        `${network.url}/v2/bench/big/blobs/${digest}`,
      ]);
      const curlNet = (performance.now() - start) / 1000;
      await rm(join(dir, "curl.bin"));
      results[`throttled link: curl -o MiB/s`] = (SIZE / MiB / curlNet).toFixed(0);
      for (const parts of [1, 4]) {
        const store = new ModelStore({ root: join(dir, `net-${parts}`) });
        t = performance.now();
        await pullModel(store, `${network.host}/bench/big:1`, { parts });
        const seconds = (performance.now() - t) / 1000;
        const label = `${parts} part${parts > 1 ? "s" : ""}`;
        results[`throttled link: hangar pull MiB/s (${label})`] = (SIZE / MiB / seconds).toFixed(0);
        results[`throttled link: ratio vs curl -o (${label})`] = (curlNet / seconds).toFixed(2);
        await store.blobs.flush();
        await rm(join(dir, `net-${parts}`), { recursive: true, force: true });
      }
    } finally {
      await network.close();
    }

    // kill -9 at about half way, then resume.
    const proxy = await startProxy({ upstream: registry.url });
    const root = join(dir, "resume");
    const child = join(dir, "pull-child.mts");
    const storeModule = new URL("../electron/runner/store/model-store.ts", import.meta.url).href;
    const pullModule = new URL("../electron/runner/distribution/pull.ts", import.meta.url).href;
    await writeFile(
      child,
      `import { ModelStore } from ${JSON.stringify(storeModule)};
import { pullModel } from ${JSON.stringify(pullModule)};
const store = new ModelStore({ root: process.argv[2] });
await pullModel(store, process.argv[3], { onProgress: (p) => process.stdout.write("bytes " + p.completedBytes + "\\n") });`,
    );
    const proc = spawn(process.execPath, ["--import", "tsx", child, root, `${proxy.host}/bench/big:1`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let received = 0;
    proc.stdout.on("data", (d: Buffer) => {
      for (const m of d.toString().matchAll(/bytes (\d+)/g)) received = Number(m[1]);
      if (received >= SIZE / 2) proc.kill("SIGKILL");
    });
    await once(proc, "exit");
    const servedBeforeKill = proxy.blobBytes();
    const partial = await stat(join(root, "incoming", `${digest.slice(7)}.partial`)).then(
      (s) => s.size,
      () => 0,
    );
    t = performance.now();
    await pullModel(new ModelStore({ root }), `${proxy.host}/bench/big:1`);
    const resumeSeconds = (performance.now() - t) / 1000;
    const again = proxy.blobBytes() - servedBeforeKill;
    await proxy.close();

    return {
      "blob size MiB": SIZE / MiB,
      "curl -o MiB/s": (SIZE / MiB / curlSeconds).toFixed(0),
      "curl -o + sync MiB/s": (SIZE / MiB / curlSyncSeconds).toFixed(0),
      ...results,
      "killed after MiB received": (received / MiB).toFixed(0),
      "partial file MiB at kill": (partial / MiB).toFixed(0),
      "re-downloaded MiB after kill -9": (again / MiB).toFixed(1),
      "re-downloaded share of blob": `${((again / SIZE) * 100).toFixed(1)}%`,
      // Bytes the registry sent twice: what the killed process had received but not yet written.
      "MiB served twice (lost at the kill)": ((servedBeforeKill + again - SIZE) / MiB).toFixed(1),
      "resume seconds": resumeSeconds.toFixed(1),
    };
  } finally {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  }
}
