import { test } from "node:test";
import assert from "node:assert/strict";
import { promptSlices, tokensBeyondLimit, PromptCancelledError } from "./prompt-bound.ts";

/** One token per character: enough to check the counting and cutting. */
const perCharacter = (text: string) => [...text].length;

test("slices keep every character, cut after a space where one is near, never inside a surrogate pair", () => {
  const words = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(" ");
  const slices = [...promptSlices(words)];
  assert.equal(slices.join(""), words);
  assert.ok(slices.length > 1);
  for (const slice of slices.slice(0, -1)) assert.ok(slice.endsWith(" "), "cut after a space");
  const emoji = "😀".repeat(10_000);
  const emojiSlices = [...promptSlices(emoji)];
  assert.equal(emojiSlices.join(""), emoji);
  for (const slice of emojiSlices) assert.equal(slice, "😀".repeat(slice.length / 2), "whole pairs only");
});

test("a prompt that fits is not refused; one beyond the limit is, without counting the rest", async () => {
  const signal = new AbortController().signal;
  const tokenized: number[] = [];
  const tokenize = (text: string) => (tokenized.push(text.length), perCharacter(text));
  assert.equal(await tokensBeyondLimit(tokenize, ["a".repeat(40_000)], 40_000, signal), undefined);
  tokenized.length = 0;
  const counted = await tokensBeyondLimit(tokenize, ["a".repeat(1_000_000)], 40_000, signal);
  assert.ok(counted !== undefined && counted > 40_000);
  assert.ok(tokenized.reduce((a, b) => a + b, 0) < 60_000, "stops soon after the limit, not at 1,000,000");
});

test("a cancelled request stops between two slices", async () => {
  const controller = new AbortController();
  let slices = 0;
  const tokenize = (text: string) => {
    if (++slices === 3) controller.abort();
    return perCharacter(text);
  };
  await assert.rejects(
    tokensBeyondLimit(tokenize, ["a".repeat(1_000_000)], 10_000_000, controller.signal),
    PromptCancelledError,
  );
  assert.equal(slices, 3);
});
