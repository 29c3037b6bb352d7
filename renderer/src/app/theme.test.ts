// Tests run under node:test; the no-Node rule is for code that ships to the browser.
/* eslint-disable no-restricted-imports */
/**
 * Dark mode holds only while every colour goes through a custom property that both schemes set: a
 * colour written straight into a rule stays the same in the dark scheme (a white panel at night).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const SRC = join(import.meta.dirname, "..");
const COLOUR = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(|\b(?:white|black)\b(?!-)/i;

function cssFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) cssFiles(path, out);
    else if (name.endsWith(".css")) out.push(path);
  }
  return out;
}

/** The CSS without comments, as [file:line, text] pairs. */
function lines(): [string, string][] {
  return cssFiles(SRC).flatMap((file) =>
    readFileSync(file, "utf8")
      .replace(/\/\*[^]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
      .split("\n")
      .map((text, i): [string, string] => [`${relative(SRC, file)}:${i + 1}`, text]),
  );
}

test("colours are written only where custom properties are declared", () => {
  const literal = lines().filter(([, text]) => COLOUR.test(text) && !/^\s*--[\w-]+\s*:/.test(text));
  assert.deepEqual(
    literal.map(([at, text]) => `${at}: ${text.trim()}`),
    [],
    "use a custom property (app/styles.css) so the dark scheme can set it",
  );
});

test("every custom property used is declared", () => {
  const all = lines().map(([, text]) => text);
  const declared = new Set(all.flatMap((t) => [...t.matchAll(/^\s*(--[\w-]+)\s*:/g)].map((m) => m[1]!)));
  const used = new Set(all.flatMap((t) => [...t.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1]!)));
  assert.deepEqual(
    [...used].filter((name) => !declared.has(name)),
    [],
  );
});

test("the dark scheme sets every colour the light one does, except those meant to stay", () => {
  const css = readFileSync(join(SRC, "app", "styles.css"), "utf8");
  const block = (start: number) => css.slice(start, css.indexOf("\n}", start));
  const names = (text: string) => new Set([...text.matchAll(/^\s*(--[\w-]+)\s*:/gm)].map((m) => m[1]!));
  const light = names(block(css.indexOf(":root {")));
  const dark = names(block(css.indexOf("@media (prefers-color-scheme: dark)")));
  // Not colours, or colours that read the same on both schemes' backgrounds.
  const same = /^--(radius|tok-|brand|dot-)/;
  assert.deepEqual(
    [...light].filter((n) => !same.test(n) && !dark.has(n)),
    [],
  );
});
