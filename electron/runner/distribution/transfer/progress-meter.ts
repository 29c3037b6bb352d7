/** Bytes, speed over a sliding window, and ETA for a transfer of known size. */
export class ProgressMeter {
  /** One sample per `sampleMs` at most: adds arrive per network chunk, thousands per second. */
  private samples: { t: number; bytes: number }[] = [];
  completed = 0;

  constructor(
    public total: number,
    private readonly now: () => number = () => Date.now(),
    private readonly windowMs = 5000,
    private readonly sampleMs = 100,
  ) {
    this.samples.push({ t: this.now(), bytes: 0 });
  }

  add(bytes: number): void {
    this.completed += bytes;
    const t = this.now();
    if (t - this.samples[this.samples.length - 1]!.t < this.sampleMs) return;
    this.samples.push({ t, bytes: this.completed });
    while (this.samples.length > 2 && this.samples[0]!.t < t - this.windowMs) this.samples.shift();
  }

  /** Bytes per second over the window. */
  speed(): number {
    const first = this.samples[0]!;
    const dt = (this.now() - first.t) / 1000;
    return dt > 0 ? (this.completed - first.bytes) / dt : 0;
  }

  eta(): number | null {
    const s = this.speed();
    return s > 0 ? Math.max(0, (this.total - this.completed) / s) : null;
  }
}
