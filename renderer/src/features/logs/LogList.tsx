/**
 * The virtualized list: only the rows in view (plus a few) are in the DOM, whatever the line count.
 * Follows the tail while `follow` is on; scrolling up turns following off, back to the bottom on.
 * Keyboard: Tab reaches one row (roving tabindex); arrows, Page Up/Down, Home and End move between
 * rows, Enter or Space opens and closes one, Right opens and Left closes.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from "react";
import { useLogs } from "./use-logs.ts";
import { LogRow } from "./LogRow.tsx";
import {
  DETAILS_HEIGHT,
  ROW_HEIGHT,
  RowLayout,
  cursorAfterKey,
  indexOfSeq,
  isExpandable,
  scrollToShow,
} from "./row-layout.ts";

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
  /** The row the keyboard is on, by seq (lines keep their seq as others arrive or are filtered out). */
  const [cursor, setCursor] = useState<number | null>(null);
  const focusCursor = useRef(false);

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

  const cursorIndex = cursor === null ? -1 : indexOfSeq(visible, cursor);

  // After a keyboard move the row is rendered (scrolled into view first); then it takes the focus.
  useLayoutEffect(() => {
    if (!focusCursor.current || cursor === null) return;
    focusCursor.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-seq="${cursor}"]`)?.focus({ preventScroll: true });
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = scroller.current;
    const row = (e.target as HTMLElement).closest<HTMLElement>("[data-seq]");
    if (!el || !row) return; // keys inside an open details box scroll that box
    const index = indexOfSeq(visible, Number(row.dataset.seq));
    if (index < 0) return;
    const line = visible[index]!;
    const open = expanded.has(line.seq);
    if (e.key === "Enter" || e.key === " " || e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      if (!isExpandable(line)) return;
      if (e.key === "ArrowRight" ? !open : e.key === "ArrowLeft" ? open : true) toggleExpanded(line.seq);
      return;
    }
    const next = cursorAfterKey(e.key, index, visible.length, Math.floor(el.clientHeight / ROW_HEIGHT) - 1);
    if (next === null) return;
    e.preventDefault();
    const top = layout.offsetOf(next);
    const rowHeight = ROW_HEIGHT + (expanded.has(visible[next]!.seq) ? DETAILS_HEIGHT : 0);
    const scrollTo = scrollToShow(el.scrollTop, el.clientHeight, top, Math.min(rowHeight, el.clientHeight));
    if (scrollTo !== el.scrollTop) {
      el.scrollTop = scrollTo;
      setScrollTop(el.scrollTop);
    }
    focusCursor.current = true;
    setCursor(visible[next]!.seq);
  };

  const first = Math.max(0, layout.indexAt(scrollTop) - OVERSCAN);
  const last = Math.min(visible.length - 1, layout.indexAt(scrollTop + height) + OVERSCAN);
  // Tab stops at the cursor row when it is rendered, else at the first row in view.
  const tabStop = cursorIndex >= first && cursorIndex <= last ? cursorIndex : layout.indexAt(scrollTop);
  const rows = [];
  for (let i = first; i <= last; i++) {
    const line = visible[i]!;
    rows.push(
      <LogRow
        key={line.seq}
        line={line}
        top={layout.offsetOf(i)}
        rowIndex={layout.rowIndexOf(i)}
        search={search}
        expandable={isExpandable(line)}
        expanded={expanded.has(line.seq)}
        tabStop={i === tabStop}
        onToggle={toggleExpanded}
      />,
    );
  }
  return (
    <div
      className="log-scroller"
      ref={scroller}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const seq = (e.target as HTMLElement).dataset.seq;
        if (seq !== undefined && Number(seq) !== cursor) setCursor(Number(seq));
      }}
      role="table"
      aria-label="Log lines"
      aria-rowcount={layout.rowCount}
    >
      <div className="visually-hidden" role="rowgroup">
        <div role="row" aria-rowindex={1}>
          <span role="columnheader">Time</span>
          <span role="columnheader">Level</span>
          <span role="columnheader">Source</span>
          <span role="columnheader">Message</span>
        </div>
      </div>
      <div className="log-spacer" style={{ height: layout.totalHeight }}>
        {rows}
      </div>
      {visible.length === 0 && <div className="log-empty">No log lines match.</div>}
    </div>
  );
}
