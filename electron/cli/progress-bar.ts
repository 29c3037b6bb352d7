/** Renders pull progress: a redrawn bar on a terminal, plain lines (a few per second at most) otherwise. */
import type { PullProgress } from "../runner/models.ts";

export function formatSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** One line of text for a progress event (no terminal control codes). */
export function progressLine(p: PullProgress, width = 24): string {
  if (p.phase !== "downloading") return `${p.ref}: ${p.phase}${p.message ? ` (${p.message})` : ""}`;
  const ratio = p.totalBytes > 0 ? Math.min(1, p.completedBytes / p.totalBytes) : 0;
  const filled = Math.round(ratio * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  return (
    `${p.ref} ${bar} ${(ratio * 100).toFixed(0).padStart(3)}% ` +
    `${formatSize(p.completedBytes)}/${formatSize(p.totalBytes)} ${formatSize(p.bytesPerSecond)}/s ETA ${formatEta(p.etaSeconds)}`
  );
}

export function progressRenderer(out: NodeJS.WriteStream = process.stderr, now: () => number = Date.now) {
  const tty = Boolean(out.isTTY);
  let lastPlain = 0;
  let drawn = false;
  return {
    update(p: PullProgress) {
      if (tty) {
        const line = progressLine(p, 30).slice(0, Math.max(20, (out.columns ?? 100) - 1));
        out.write(`\r\x1b[2K${line}`);
        drawn = true;
        if (p.phase === "done" || p.phase === "error") {
          out.write("\n");
          drawn = false;
        }
        return;
      }
      // Plain lines (logs, CI): phase changes always, download progress every 2 s.
      if (p.phase === "downloading" && now() - lastPlain < 2000 && p.completedBytes < p.totalBytes) return;
      lastPlain = now();
      out.write(progressLine(p) + "\n");
    },
    end() {
      if (tty && drawn) out.write("\n");
    },
  };
}
