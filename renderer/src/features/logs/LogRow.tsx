/** One log line (or HTTP request row), with search matches highlighted; request rows expand to details. */
import { memo, type ReactNode } from "react";
import type { LogLine } from "../../../../electron/contract/logs.ts";
import { DETAILS_HEIGHT, ROW_HEIGHT } from "./row-layout.ts";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function Highlighted({ text, search }: { text: string; search: string }): ReactNode {
  if (!search) return text;
  const lower = text.toLowerCase();
  const needle = search.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

const statusClass = (status: number) => (status >= 500 ? "bad" : status >= 400 ? "warn" : "ok");

export const LogRow = memo(function LogRow(props: {
  line: LogLine;
  top: number;
  search: string;
  expanded: boolean;
  onToggle: (seq: number) => void;
}) {
  const { line, top, search, expanded, onToggle } = props;
  const r = line.request;
  const tokens =
    r && (r.promptTokens !== undefined || r.completionTokens !== undefined)
      ? `${r.promptTokens ?? 0}→${r.completionTokens ?? 0} tok`
      : "";
  return (
    <div
      className={`log-row level-${line.level}${r ? " request" : ""}${expanded ? " expanded" : ""}`}
      style={{ top, height: ROW_HEIGHT + (expanded ? DETAILS_HEIGHT : 0) }}
      role="row"
      aria-expanded={r ? expanded : undefined}
      onClick={r ? () => onToggle(line.seq) : undefined}
    >
      <div className="log-line" style={{ height: ROW_HEIGHT }}>
        <span className="log-time">{formatTime(line.time)}</span>
        <span className={`log-level ${line.level}`}>{line.level}</span>
        <span className={`log-source ${line.source}`}>{line.source}</span>
        {r ? (
          <span className="log-request">
            <span className="log-caret">{expanded ? "▾" : "▸"}</span>
            <span className="log-method">{r.method}</span>
            <span className="log-path">
              <Highlighted text={r.path} search={search} />
            </span>
            <span className={`log-http-status ${statusClass(r.status)}`}>{r.status}</span>
            <span className="log-latency">{Math.round(r.latencyMs)} ms</span>
            {tokens && <span className="log-tokens">{tokens}</span>}
            {line.model && <span className="log-model">{line.model}</span>}
          </span>
        ) : (
          <>
            {line.model && <span className="log-model">{line.model}</span>}
            <span className="log-message">
              <Highlighted text={line.message} search={search} />
            </span>
          </>
        )}
      </div>
      {expanded && r && <RequestDetails line={line} />}
    </div>
  );
});

function RequestDetails({ line }: { line: LogLine }) {
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
    ["Message", line.message],
  ];
  if (line.fields) rows.push(["Fields", JSON.stringify(line.fields)]);
  return (
    <dl className="log-details" style={{ height: DETAILS_HEIGHT }} onClick={(e) => e.stopPropagation()}>
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
