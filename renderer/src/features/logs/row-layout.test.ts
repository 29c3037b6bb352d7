// Tests run under node:test; the no-Node rule is for code that ships to the browser.
/* eslint-disable no-restricted-imports */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogLine } from "../../../../electron/contract/logs.ts";
import {
  DETAILS_HEIGHT,
  LONG_LINE,
  ROW_HEIGHT,
  RowLayout,
  cursorAfterKey,
  isExpandable,
  scrollToShow,
} from "./row-layout.ts";
import { formatParameters } from "./RequestDetails.tsx";

const line = (patch: Partial<LogLine>): LogLine => ({
  seq: 1,
  time: 0,
  level: "info",
  source: "engine",
  message: "short",
  ...patch,
});

test("offsets, ARIA row indices and the row count count the header and each open details row", () => {
  const layout = new RowLayout(5, [1, 3]);
  assert.equal(layout.offsetOf(0), 0);
  assert.equal(layout.offsetOf(2), 2 * ROW_HEIGHT + DETAILS_HEIGHT);
  assert.equal(layout.totalHeight, 5 * ROW_HEIGHT + 2 * DETAILS_HEIGHT);
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((i) => layout.rowIndexOf(i)),
    [2, 3, 5, 6, 8],
  );
  assert.equal(layout.rowCount, 8);
  assert.equal(layout.indexAt(2 * ROW_HEIGHT + DETAILS_HEIGHT + 1), 2);
});

test("requests, lines with fields and long or multi-line lines open; short lines do not", () => {
  assert.equal(isExpandable(line({})), false);
  assert.equal(isExpandable(line({ message: "x".repeat(LONG_LINE) })), false);
  assert.equal(isExpandable(line({ message: "x".repeat(LONG_LINE + 1) })), true);
  assert.equal(isExpandable(line({ message: "two\nlines" })), true);
  assert.equal(isExpandable(line({ fields: { a: 1 } })), true);
  assert.equal(
    isExpandable(line({ request: { id: "r", method: "GET", path: "/", status: 200, latencyMs: 1 } })),
    true,
  );
});

test("keys move the cursor within the list; other keys are not moves", () => {
  assert.equal(cursorAfterKey("ArrowDown", 3, 10, 5), 4);
  assert.equal(cursorAfterKey("ArrowDown", 9, 10, 5), 9);
  assert.equal(cursorAfterKey("ArrowUp", 0, 10, 5), 0);
  assert.equal(cursorAfterKey("PageDown", 3, 10, 5), 8);
  assert.equal(cursorAfterKey("PageUp", 3, 10, 5), 0);
  assert.equal(cursorAfterKey("PageDown", 3, 10, 0), 4, "a page is at least one row");
  assert.equal(cursorAfterKey("Home", 7, 10, 5), 0);
  assert.equal(cursorAfterKey("End", 2, 10, 5), 9);
  assert.equal(cursorAfterKey("a", 2, 10, 5), null);
  assert.equal(cursorAfterKey("ArrowDown", 0, 0, 5), null);
});

test("scrolling to show a row moves only as far as needed", () => {
  assert.equal(scrollToShow(100, 200, 150, 24), 100, "already in view");
  assert.equal(scrollToShow(100, 200, 50, 24), 50, "above: its top at the top");
  assert.equal(scrollToShow(100, 200, 290, 24), 114, "below: its bottom at the bottom");
});

test("parameters read as name=value, identifiers quoted, sizes as they came", () => {
  assert.equal(
    formatParameters({ model: "ai/x:1", temperature: 7, stream: false, messages: "(2 items)", seed: null }),
    'model="ai/x:1"  temperature=7  stream=false  messages=(2 items)  seed=null',
  );
});
