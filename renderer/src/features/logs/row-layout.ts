/**
 * Row geometry for the virtualized log list: every row has the same height except expanded request
 * rows, which add a fixed-height details box. With few expanded rows, offsets are a multiplication
 * plus a count, and finding the row at a scroll position is a binary search.
 */
export const ROW_HEIGHT = 24;
export const DETAILS_HEIGHT = 132;

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
