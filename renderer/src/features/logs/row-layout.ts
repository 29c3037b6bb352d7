/**
 * Row geometry for the virtualized log list: every row has the same height except expanded rows,
 * which add a fixed-height details box (it scrolls inside when its content is longer). With few
 * expanded rows, offsets are a multiplication plus a count, and finding the row at a scroll position
 * is a binary search.
 */
import type { LogLine } from "../../../../electron/contract/logs.ts";

export const ROW_HEIGHT = 24;
export const DETAILS_HEIGHT = 168;
/** Lines longer than this are cut at the list's edge, so they open to show all of it. */
export const LONG_LINE = 100;

/** Request rows open to their details; other lines when there is more than the row can show. */
export function isExpandable(line: LogLine): boolean {
  return (
    line.request !== undefined ||
    line.fields !== undefined ||
    line.message.length > LONG_LINE ||
    line.message.includes("\n")
  );
}

export class RowLayout {
  /** Indices of expanded rows, ascending. */
  constructor(
    readonly count: number,
    private readonly expanded: readonly number[],
  ) {}

  private expandedBefore(index: number): number {
    let lo = 0;
    let hi = this.expanded.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.expanded[mid]! < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  offsetOf(index: number): number {
    return index * ROW_HEIGHT + this.expandedBefore(index) * DETAILS_HEIGHT;
  }

  /**
   * The ARIA row index (1-based) of the line at `index`: one header row comes first, and each
   * expanded line above it adds its details row.
   */
  rowIndexOf(index: number): number {
    return index + this.expandedBefore(index) + 2;
  }

  /** Rows in the ARIA table: the header, every line, and the details of each expanded line. */
  get rowCount(): number {
    return this.count + this.expanded.length + 1;
  }

  get totalHeight(): number {
    return this.offsetOf(this.count);
  }

  /** The row under vertical position y (clamped to the list). */
  indexAt(y: number): number {
    let lo = 0;
    let hi = this.count - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsetOf(mid) <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Where a line with `seq` sits in a list sorted by seq, or -1. */
export function indexOfSeq(lines: readonly { seq: number }[], seq: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = lines[mid]!.seq;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Where the keyboard cursor goes from `index` on `key` in a list of `count` lines; null: not a move. */
export function cursorAfterKey(key: string, index: number, count: number, pageRows: number): number | null {
  if (count === 0) return null;
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  switch (key) {
    case "ArrowDown":
      return clamp(index + 1);
    case "ArrowUp":
      return clamp(index - 1);
    case "PageDown":
      return clamp(index + Math.max(1, pageRows));
    case "PageUp":
      return clamp(index - Math.max(1, pageRows));
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}

/** The scroll position that shows the row at [top, top + height) in a viewport, moving as little as possible. */
export function scrollToShow(scrollTop: number, viewport: number, top: number, height: number): number {
  if (top < scrollTop) return top;
  if (top + height > scrollTop + viewport) return Math.max(0, top + height - viewport);
  return scrollTop;
}
