// Tests run under node:test; the no-Node rule is for code that ships to the browser.
/* eslint-disable no-restricted-imports */
import { test } from "node:test";
import assert from "node:assert/strict";
import { streamingChunks } from "./markdown-chunks.ts";

test("a streaming reply splits at blank lines between top-level blocks", () => {
  assert.deepEqual(streamingChunks("# Title\n\nfirst paragraph\nstill first\n\n\nsecond"), [
    "# Title",
    "first paragraph\nstill first",
    "second",
  ]);
});

test("code fences and $$ blocks stay whole across blank lines, even unterminated", () => {
  const text = "intro\n\n```py\ndef f():\n\n    return 1\n```\n\n$$\na\n\nb\n$$\n\n```\nstill streaming\n\n";
  assert.deepEqual(streamingChunks(text), [
    "intro",
    "```py\ndef f():\n\n    return 1\n```",
    "$$\na\n\nb\n$$",
    "```\nstill streaming",
  ]);
});

test("a list keeps its loose items and nested lines together; the text after it is its own chunk", () => {
  const text = "- one\n\n- two\n\n  more of two\n  - nested\n\n1. next list\n\nafter";
  assert.deepEqual(streamingChunks(text), [
    "- one\n\n- two\n\n  more of two\n  - nested\n\n1. next list",
    "after",
  ]);
});

test("nothing is lost: the chunks hold every non-blank line in order", () => {
  const text = "| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n\nend $x^2$";
  assert.deepEqual(streamingChunks(text).join("\n\n"), text);
});
