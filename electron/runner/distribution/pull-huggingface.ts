/**
 * Hugging Face pulls: the resolver (distribution/huggingface) names the files; they are downloaded
 * into the store, verified against their LFS sha256, and wrapped in a local Docker model artifact
 * manifest, so the engine sees a Hugging Face model like any other.
 */
import type { InstalledModel } from "../models.ts";
import type { ModelStore } from "../store/model-store.ts";
import { downloadBlob } from "./transfer/blob-download.ts";
import { hfClientFromEnv, hfFetch } from "./huggingface/client.ts";
import { resolveHuggingFace } from "./huggingface/resolve.ts";
import { readGgufSummary } from "../gguf/metadata.ts";
import { buildArtifact } from "./packaging/artifact.ts";
import { MAX_BLOB_BYTES } from "../artifact/manifest.ts";
import type { HuggingFaceReference } from "../artifact/reference.ts";
import type { PullOptions } from "./pull.ts";
import { assertStoreHasRoom, DEFAULT_PARTS, progressReporter } from "./pull.ts";
import { resolveAccess } from "./registry-access.ts";
import { reuseLocalBlob } from "./transfer/local-blob.ts";

export async function pullHuggingFace(
  store: ModelStore,
  ref: HuggingFaceReference,
  key: string,
  options: PullOptions,
): Promise<InstalledModel> {
  const access = resolveAccess(options);
  const client = hfClientFromEnv(access.env, access.fetch);
  const download = { ...client, fetch: access.downloadFetch };
  const resolved = await resolveHuggingFace({ user: ref.user, repo: ref.repo, quant: ref.quant }, client);
  const total = resolved.files.reduce((a, f) => a + f.size, 0);
  const files = resolved.files.map((f) => ({ ...f, digest: `sha256:${f.sha256}` }));
  const huge = files.find((f) => !Number.isSafeInteger(f.size) || f.size < 0 || f.size > MAX_BLOB_BYTES);
  if (huge) throw new Error(`${key}: ${huge.path} declares ${huge.size} bytes, more than the 1 TiB accepted`);
  await assertStoreHasRoom(store, files, key);
  const progress = progressReporter(key, total, options.onProgress);
  const pending = await store.pending.start();
  try {
    await pending.add(files.map((f) => f.digest));
    progress.emit("downloading");
    for (const f of files) {
      progress.layer(f.digest, f.size);
      if (await reuseLocalBlob(store.blobs, f, options.findLocalBlob)) {
        progress.bytes(f.size);
        continue;
      }
      await downloadBlob({
        store: store.blobs,
        digest: f.digest,
        size: f.size,
        signal: options.signal,
        parts: options.parts ?? DEFAULT_PARTS,
        partThreshold: options.partThreshold,
        stallMs: options.stallMs,
        onBytes: (n) => progress.bytes(n),
        source: {
          // hfFetch sends the token to the endpoint only, never to the CDN it redirects to.
          open: ({ range, signal }) => hfFetch(download, f.url, { headers: range ? { range } : {}, signal }),
        },
      });
    }
    progress.emit("verifying");
    const weights = files.filter((f) => f.role === "gguf");
    const mmproj = files.find((f) => f.role === "mmproj");
    const summary = await readGgufSummary(store.blobs.path(weights[0]!.digest));
    const built = buildArtifact({
      format: "docker",
      gguf: summary,
      weights: weights.map((f) => ({ digest: f.digest, size: f.size })),
      mmproj: mmproj ? { digest: mmproj.digest, size: mmproj.size } : null,
      created: store.now(),
    });
    await pending.add([built.config.digest, built.digest]);
    await store.blobs.put(built.configText);
    const model = await store.addModel({
      ref: key,
      manifestText: built.manifestText,
      format: "huggingface",
      source: "huggingface",
    });
    progress.emit("done");
    return model;
  } finally {
    await pending.release();
  }
}
