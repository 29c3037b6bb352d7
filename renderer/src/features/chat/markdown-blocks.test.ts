// Parser tests run under node:test; the no-Node rule is for code that ships to the browser.
/* eslint-disable no-restricted-imports */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseBlocks, parseInline } from "./markdown-blocks.ts";
import { highlight } from "./highlight.ts";

test("blocks: headings, lists, quotes, rules, paragraphs and fenced code", () => {
  const blocks = parseBlocks(
    "# Title\n\nSome *text* here\nand more.\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n---\n\n```ts\nconst a = 1;\n```\nafter",
  );
  assert.deepEqual(
    blocks.map((b) => b.kind),
    ["heading", "paragraph", "list", "list", "quote", "rule", "code", "paragraph"],
  );
  assert.deepEqual(blocks[2], { kind: "list", ordered: false, items: ["one", "two"] });
  assert.deepEqual(blocks[6], { kind: "code", lang: "ts", code: "const a = 1;", closed: true });
});

test("an unterminated fence while streaming is a code block in progress", () => {
  const blocks = parseBlocks("Here:\n```py\nprint('hi')");
  assert.deepEqual(blocks.at(-1), { kind: "code", lang: "py", code: "print('hi')", closed: false });
});

test("inline: code, bold, italic, safe links only", () => {
  assert.deepEqual(parseInline("use `x` and **bold** or *it*"), [
    { kind: "text", text: "use " },
    { kind: "code", text: "x" },
    { kind: "text", text: " and " },
    { kind: "strong", children: [{ kind: "text", text: "bold" }] },
    { kind: "text", text: " or " },
    { kind: "em", children: [{ kind: "text", text: "it" }] },
  ]);
  assert.deepEqual(parseInline("[site](https://example.com)")[0], {
    kind: "link",
    href: "https://example.com",
    children: [{ kind: "text", text: "site" }],
  });
  assert.deepEqual(parseInline("[x](javascript:alert(1))")[0]?.kind, "text", "script links stay text");
});

test("highlighting finds keywords, strings, numbers and comments, and loses no text", () => {
  const code = 'const s = "hi"; // note\nreturn 42;';
  const tokens = highlight(code, "ts");
  assert.equal(tokens.map((t) => t.text).join(""), code);
  const kinds = (kind: string) => tokens.filter((t) => t.kind === kind).map((t) => t.text.trim());
  assert.deepEqual(kinds("keyword"), ["const", "return"]);
  assert.deepEqual(kinds("string"), ['"hi"']);
  assert.deepEqual(kinds("comment"), ["// note"]);
  assert.deepEqual(kinds("number"), ["42"]);
  assert.deepEqual(
    highlight("x = 1 # py comment", "python")
      .filter((t) => t.kind === "comment")
      .map((t) => t.text),
    ["# py comment"],
  );
});
