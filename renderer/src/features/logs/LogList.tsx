/**
 * The virtualized list: only the rows in view (plus a few) are in the DOM, whatever the line count.
 * Follows the tail while `follow` is on; scrolling up turns following off, back to the bottom on.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useLogs } from "./use-logs.ts";
import { LogRow } from "./LogRow.tsx";
import { RowLayout, indexOfSeq } from "./row-layout.ts";

const OVERSCAN = 10;

export function LogList() {
  const version = useLogs((s) => s.version);
  const visible = useLogs((s) => s.visible);
  const expanded = useLogs((s) => s.expanded);
  const search = useLogs((s) => s.filters.search);
  const follow = useLogs((s) => s.follow);
  const paused = useLogs((s) => s.paused);
  const setFollow = useLogs((s) => s.setFollow);
  const toggleExpanded = useLogs((s) => s.toggleExpanded);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const selfScroll = useRef(false);

  const layout = useMemo(() => {
    const indices: number[] = [];
    for (const seq of expanded) {
      const i = indexOfSeq(visible, seq);
      if (i >= 0) indices.push(i);
    }
    return new RowLayout(
      visible.length,
      indices.sort((a, b) => a - b),
    );
    // `visible` is mutated in place; `version` says when it changed.
  }, [visible, version, expanded]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !follow) return;
    const bottom = Math.max(0, layout.totalHeight - el.clientHeight);
    if (Math.abs(el.scrollTop - bottom) > 1) {
      selfScroll.current = true;
      el.scrollTop = bottom;
      setScrollTop(el.scrollTop);
    }
  }, [layout, follow]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    if (selfScroll.current) {
      selfScroll.current = false;
      return;
    }
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 4;
    if (!atBottom && follow) setFollow(false);
    else if (atBottom && !follow && !paused) setFollow(true);
  }, [follow, paused, setFollow]);

  const first = Math.max(0, layout.indexAt(scrollTop) - OVERSCAN);
  const last = Math.min(visible.length - 1, layout.indexAt(scrollTop + height) + OVERSCAN);
  const rows = [];
  for (let i = first; i <= last; i++) {
    const line = visible[i]!;
    rows.push(
      <LogRow
        key={line.seq}
        line={line}
        top={layout.offsetOf(i)}
        search={search}
        expanded={expanded.has(line.seq)}
        onToggle={toggleExpanded}
      />,
    );
  }
  return (
    <div
      className="log-scroller"
      ref={scroller}
      onScroll={onScroll}
      role="table"
      aria-label="Log lines"
      aria-rowcount={visible.length}
    >
      <div className="log-spacer" style={{ height: layout.totalHeight }}>
        {rows}
      </div>
      {visible.length === 0 && <div className="log-empty">No log lines match.</div>}
    </div>
  );
}
