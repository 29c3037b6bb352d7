/**
 * Bringing a file that another program owns into the blob store as an independent copy: a reflink
 * (copy-on-write clone, no extra space) where the filesystem can, else a byte copy. Never a hard link:
 * a hard link shares the inode, so a later in-place write by the owner would change a stored blob.
 * The copy is hashed, not the original, and committed only when it matches: whatever happens to the
 * original afterwards, the stored blob is what was verified.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { copyHashing, DigestMismatchError, hashFile } from "./blob-store.ts";
import type { BlobStore } from "./blob-store.ts";

export interface CopyInResult {
  digest: string;
  size: number;
  /** True when the filesystem cloned the file (no bytes copied). */
  reflinked: boolean;
}

/** Makes `to` a reflink of `from` when the filesystem supports it; false when it does not. */
async function reflink(from: string, to: string): Promise<boolean> {
  try {
    await copyFile(from, to, constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw error;
    await unlink(to).catch(() => {});
    return false;
  }
}

export async function copyIntoStore(
  blobs: BlobStore,
  file: string,
  options: {
    /** The digest the file must have; a mismatch stores nothing and throws DigestMismatchError. */
    expected?: string;
    /** Runs once the digest is known, before the blob becomes visible (to protect it from gc). */
    beforeCommit?: (digest: string) => Promise<void>;
  } = {},
): Promise<CopyInResult> {
  await blobs.init();
  const tmp = join(blobs.incomingDir, `copy.${process.pid}.${randomBytes(6).toString("hex")}`);
  try {
    const reflinked = await reflink(file, tmp);
    const result = reflinked ? await hashFile(tmp) : await copyHashing(file, tmp);
    if (options.expected !== undefined && result.digest !== options.expected)
      throw new DigestMismatchError(options.expected, result.digest, file);
    await options.beforeCommit?.(result.digest);
    if (await blobs.has(result.digest)) await unlink(tmp);
    else await blobs.commit(tmp, result.digest, result.digest);
    return { ...result, reflinked };
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
}
