/** An HTTP request row opened: why it failed, what it asked for, and its figures. */
import type { LogLine } from "../../../../electron/contract/logs.ts";

/** `temperature=0.2 max_tokens=64 messages=(3 items)`: the body's parameters, as the runner logged them. */
export function formatParameters(parameters: Record<string, string | number | boolean | null>): string {
  return Object.entries(parameters)
    .map(([k, v]) => `${k}=${typeof v === "string" && !v.startsWith("(") ? JSON.stringify(v) : String(v)}`)
    .join("  ");
}

export function RequestDetails({ line }: { line: LogLine }) {
  const r = line.request!;
  const rows: [string, string][] = [
    ["Request", `${r.method} ${r.path}`],
    ["Status", `${r.status} in ${r.latencyMs.toFixed(1)} ms`],
    ["Request id", r.id],
    ["Origin", r.origin ?? "—"],
    ["Model", line.model ?? "—"],
    ["Tokens", `${r.promptTokens ?? "—"} prompt, ${r.completionTokens ?? "—"} completion`],
    [
      "Speed",
      `${r.tokensPerSecond !== undefined ? `${r.tokensPerSecond.toFixed(1)} tok/s` : "—"}, TTFT ${
        r.timeToFirstTokenMs !== undefined ? `${Math.round(r.timeToFirstTokenMs)} ms` : "—"
      }`,
    ],
  ];
  if (line.fields) rows.push(["Fields", JSON.stringify(line.fields)]);
  return (
    <dl className="log-request-details">
      {r.error && (
        <div className="wide reason">
          <dt>Reason</dt>
          <dd>
            {r.error.message}
            {r.error.code && <span className="log-error-code"> ({r.error.code})</span>}
          </dd>
        </div>
      )}
      <div className="wide">
        <dt>Parameters</dt>
        <dd>{r.parameters ? formatParameters(r.parameters) : "—"}</dd>
      </div>
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
