/**
 * The one way the runner replaces a file that must survive a crash (store index, pending blobs, blobs,
 * conversations, settings, credentials): a crash leaves either the old or the new content, never a torn
 * one. Temp file in the same directory (same filesystem, so the rename is atomic), fsync, rename over the
 * target, then fsync the directory so the rename itself is durable.
 */
import { open, rename, unlink } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

/** `mode` applies to a new file; 0o600 for anything private (conversations, settings, credentials). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(tmp, "wx", mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await syncDirectory(dir);
}

/** fsync a directory so a rename into it survives a power loss (a no-op where directories cannot be opened). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync directories; the rename is still atomic there.
  } finally {
    await handle?.close().catch(() => {});
  }
}
