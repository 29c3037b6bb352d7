/**
 * One log line (or HTTP request row) as a table row of four cells, with search matches highlighted.
 * Request rows and lines too long for the row open a details row below them: the request's reason
 * and parameters, or the whole line.
 */
import { memo, type ReactNode } from "react";
import type { LogLine } from "../../../../electron/contract/logs.ts";
import { DETAILS_HEIGHT, ROW_HEIGHT } from "./row-layout.ts";
import { RequestDetails } from "./RequestDetails.tsx";

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
  rowIndex: number;
  search: string;
  expandable: boolean;
  expanded: boolean;
  /** The one row Tab stops at (roving tabindex): the keyboard cursor, else the first row in view. */
  tabStop: boolean;
  onToggle: (seq: number) => void;
}) {
  const { line, top, rowIndex, search, expandable, expanded, tabStop, onToggle } = props;
  const r = line.request;
  const tokens =
    r && (r.promptTokens !== undefined || r.completionTokens !== undefined)
      ? `${r.promptTokens ?? 0}→${r.completionTokens ?? 0} tok`
      : "";
  const detailsId = `log-details-${line.seq}`;
  return (
    <div
      className={`log-row level-${line.level}${r ? " request" : ""}${expandable ? " expandable" : ""}${expanded ? " expanded" : ""}`}
      style={{ top, height: ROW_HEIGHT + (expanded ? DETAILS_HEIGHT : 0) }}
    >
      <div
        className="log-line"
        role="row"
        aria-rowindex={rowIndex}
        data-seq={line.seq}
        tabIndex={tabStop ? 0 : -1}
        style={{ height: ROW_HEIGHT }}
        onClick={expandable ? () => onToggle(line.seq) : undefined}
      >
        <span className="log-time" role="cell">
          {formatTime(line.time)}
        </span>
        <span className={`log-level ${line.level}`} role="cell">
          {line.level}
        </span>
        <span className={`log-source ${line.source}`} role="cell">
          {line.source}
        </span>
        <span className="log-text" role="cell">
          {!expandable && <span className="log-caret-space" aria-hidden="true" />}
          {expandable && (
            // Not a Tab stop of its own: the row is, and Enter on it does the same.
            <button
              className="log-caret"
              tabIndex={-1}
              aria-expanded={expanded}
              aria-controls={expanded ? detailsId : undefined}
              aria-label={expanded ? "Hide details" : "Show details"}
              onClick={(e) => {
                e.stopPropagation();
                onToggle(line.seq);
              }}
            >
              {expanded ? "▾" : "▸"}
            </button>
          )}
          {r ? (
            <span className="log-request">
              <span className="log-method">{r.method}</span>
              <span className="log-path">
                <Highlighted text={r.path} search={search} />
              </span>
              <span className={`log-http-status ${statusClass(r.status)}`}>{r.status}</span>
              <span className="log-latency">{Math.round(r.latencyMs)} ms</span>
              {tokens && <span className="log-tokens">{tokens}</span>}
              {line.model && <span className="log-model">{line.model}</span>}
              {r.error && <span className="log-reason">{r.error.message}</span>}
            </span>
          ) : (
            <>
              {line.model && <span className="log-model">{line.model}</span>}
              <span className="log-message">
                <Highlighted text={line.message} search={search} />
              </span>
            </>
          )}
        </span>
      </div>
      {expanded && (
        <div className="log-details-row" role="row" aria-rowindex={rowIndex + 1}>
          <div
            id={detailsId}
            role="cell"
            aria-colspan={4}
            className="log-details"
            style={{ height: DETAILS_HEIGHT - 8 }}
            // Scrolls when the content is longer than the box, so the keyboard must be able to reach it.
            tabIndex={0}
            onClick={(e) => e.stopPropagation()}
          >
            {r ? <RequestDetails line={line} /> : <LineDetails line={line} search={search} />}
          </div>
        </div>
      )}
    </div>
  );
});

function LineDetails({ line, search }: { line: LogLine; search: string }) {
  return (
    <>
      <pre className="log-full">
        <Highlighted text={line.message} search={search} />
      </pre>
      {line.fields && <pre className="log-fields">{JSON.stringify(line.fields, null, 2)}</pre>}
    </>
  );
}
