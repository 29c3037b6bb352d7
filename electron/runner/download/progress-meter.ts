/** Bytes, speed over a sliding window, and ETA for a transfer of known size. */
export class ProgressMeter {
  private samples: { t: number; bytes: number }[] = [];
  completed = 0;

  constructor(
    public total: number,
    private readonly now: () => number = () => Date.now(),
    private readonly windowMs = 5000,
  ) {
    this.samples.push({ t: this.now(), bytes: 0 });
  }

  add(bytes: number): void {
    this.completed += bytes;
    const t = this.now();
    this.samples.push({ t, bytes: this.completed });
    while (this.samples.length > 2 && this.samples[0]!.t < t - this.windowMs) this.samples.shift();
  }

  /** Bytes per second over the window. */
  speed(): number {
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const dt = (last.t - first.t) / 1000;
    return dt > 0 ? (last.bytes - first.bytes) / dt : 0;
  }

  eta(): number | null {
    const s = this.speed();
    return s > 0 ? Math.max(0, (this.total - this.completed) / s) : null;
  }
}
