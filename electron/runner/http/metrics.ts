/** Prometheus metrics for `GET /metrics` (text exposition format 0.0.4). */

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labelText = (labels: Record<string, string>) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
};

class Counter {
  private readonly values = new Map<string, { labels: Record<string, string>; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Record<string, string> = {}, by = 1): void {
    const key = labelText(labels);
    const slot = this.values.get(key) ?? { labels, value: 0 };
    slot.value += by;
    this.values.set(key, slot);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join("\n");
  }
}

class Histogram {
  private readonly series = new Map<
    string,
    { labels: Record<string, string>; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {}
  observe(value: number, labels: Record<string, string> = {}): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]!++;
    });
    s.sum += value;
    s.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) =>
        lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}`),
      );
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines.join("\n");
  }
}

export interface GenerationSample {
  model: string;
  promptTokens: number;
  completionTokens: number;
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
}

export class Metrics {
  readonly requests = new Counter("hangar_http_requests_total", "HTTP requests by route and status.");
  readonly promptTokens = new Counter("hangar_prompt_tokens_total", "Prompt tokens processed.");
  readonly completionTokens = new Counter("hangar_completion_tokens_total", "Tokens generated.");
  readonly ttft = new Histogram(
    "hangar_time_to_first_token_seconds",
    "Time from request to first generated token.",
    [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  readonly tps = new Histogram(
    "hangar_tokens_per_second",
    "Decode speed per request.",
    [1, 5, 10, 20, 40, 80, 160, 320, 640],
  );

  constructor(
    private readonly gauges: () => { loadedModels: number; busy: number } = () => ({
      loadedModels: 0,
      busy: 0,
    }),
  ) {}

  request(route: string, method: string, status: number): void {
    this.requests.inc({ route, method, status: String(status) });
  }

  generation(sample: GenerationSample): void {
    const labels = { model: sample.model };
    this.promptTokens.inc(labels, sample.promptTokens);
    this.completionTokens.inc(labels, sample.completionTokens);
    if (sample.completionTokens > 0) {
      this.ttft.observe(sample.timeToFirstTokenMs / 1000, labels);
      this.tps.observe(sample.tokensPerSecond, labels);
    }
  }

  render(): string {
    const { loadedModels, busy } = this.gauges();
    const mem = process.memoryUsage();
    const gauge = (name: string, help: string, value: number) =>
      `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`;
    return (
      [
        this.requests.render(),
        this.promptTokens.render(),
        this.completionTokens.render(),
        this.ttft.render(),
        this.tps.render(),
        gauge("hangar_loaded_models", "Models loaded in memory.", loadedModels),
        gauge("hangar_busy_requests", "Requests generating now.", busy),
        gauge("process_resident_memory_bytes", "Resident memory of the runner process.", mem.rss),
        gauge("process_heap_used_bytes", "V8 heap in use.", mem.heapUsed),
      ].join("\n") + "\n"
    );
  }
}
