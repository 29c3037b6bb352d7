/**
 * node-llama-cpp 3.21's JSON grammar lets a number carry an exponent of up to 16 digits, for integers
 * too (utils/gbnfJson/terminals/GbnfNumber.js): a small model asked for `{"type":"integer"}` can write
 * `-3333333333333333e8181818181818181`, which parses as -Infinity. Every JSON grammar it builds
 * (response formats and tool-call arguments alike) takes its number rules from that class, so the worker
 * narrows them once at start: integers without exponent, fractions with at most a two-digit one.
 * Applied only when the rule is exactly the one this was written against.
 */
const INTEGER = '"-"? ("0" | [1-9] [0-9]{0,15})';
const UPSTREAM_INTEGER = `${INTEGER} ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?`;

interface GbnfNumberClass {
  prototype: { getGrammar(this: { allowFractional: boolean }): string };
}

export async function narrowJsonNumberGrammar(): Promise<boolean> {
  const url = new URL("./utils/gbnfJson/terminals/GbnfNumber.js", import.meta.resolve("node-llama-cpp"));
  const { GbnfNumber } = (await import(url.href)) as { GbnfNumber?: GbnfNumberClass };
  const proto = GbnfNumber?.prototype;
  if (!proto || proto.getGrammar.call({ allowFractional: false }) !== UPSTREAM_INTEGER) return false;
  proto.getGrammar = function (this: { allowFractional: boolean }) {
    return this.allowFractional ? `${INTEGER} ("." [0-9]{1,16})? ([eE] [-+]? [1-9] [0-9]?)?` : INTEGER;
  };
  return true;
}
