/**
 * Free space on the store's filesystem, checked before a download starts so that a pull too big for the
 * disk fails at once with the numbers instead of after hours with ENOSPC.
 */
import { statfs } from "node:fs/promises";

export class NotEnoughSpaceError extends Error {
  readonly code = "disk_full";
  constructor(
    readonly what: string,
    readonly neededBytes: number,
    readonly freeBytes: number,
  ) {
    super(
      `${what} needs ${formatBytes(neededBytes)}, ${formatBytes(freeBytes)} free; ` +
        "free some space (hangar rm, hangar df) and pull again",
    );
    this.name = "NotEnoughSpaceError";
  }
}

/** Bytes an unprivileged process can still write under `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Throws NotEnoughSpaceError when `neededBytes` more do not fit under `dir`. */
export async function assertFreeSpace(dir: string, neededBytes: number, what: string): Promise<void> {
  if (neededBytes <= 0) return;
  const free = await freeBytes(dir);
  if (neededBytes > free) throw new NotEnoughSpaceError(what, neededBytes, free);
}

/** Decimal units, as disks are sold and as `df -H` shows them: "4.1 GB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
