/**
 * A pull's blob that another tool already holds (Ollama's `blobs/sha256-<hex>` is the OCI layer with
 * that digest; a Hugging Face cache blob is named by its sha256) is copied in instead of downloaded,
 * verified once on the way in. A file whose bytes do not match its name is left alone and the blob is
 * downloaded as usual.
 */
import type { BlobStore } from "../../store/blob-store.ts";
import { copyIntoStore } from "../../store/copy-in.ts";

export type FindLocalBlob = (digest: string, size: number) => Promise<string | null>;

/** True when the blob is now in the store from a local file; false to download it. */
export async function reuseLocalBlob(
  blobs: BlobStore,
  blob: { digest: string; size: number },
  find: FindLocalBlob | undefined,
): Promise<boolean> {
  if (!find || (await blobs.size(blob.digest)) === blob.size) return false;
  const path = await find(blob.digest, blob.size).catch(() => null);
  if (!path) return false;
  try {
    await copyIntoStore(blobs, path, { expected: blob.digest });
    return true;
  } catch {
    return false;
  }
}
