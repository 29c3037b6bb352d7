/**
 * A light, language-agnostic syntax highlighter for code blocks: comments, strings, numbers and the
 * keywords of the languages small models write most (JS/TS, Python, Rust, Go, C-family, shell, SQL).
 * It returns tokens; CodeBlock renders them as spans (no HTML strings).
 */
export type TokenKind = "plain" | "comment" | "string" | "number" | "keyword";
export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set(
  (
    "abstract as async await break case catch class const continue def default del do elif else enum export " +
    "extends false final finally fn for from func function go if impl import in interface is lambda let loop " +
    "match mod mut new nil None not null or package pass private protected pub public raise return self " +
    "static struct super switch this throw true True False try type typeof use var void while with yield " +
    "select insert update delete where join create table echo then fi done esac int char float double bool " +
    "string long unsigned include define"
  ).split(" "),
);

const HASH_COMMENT_LANGS = new Set([
  "py",
  "python",
  "sh",
  "bash",
  "shell",
  "zsh",
  "rb",
  "ruby",
  "yaml",
  "yml",
  "toml",
]);

export function highlight(code: string, lang: string): Token[] {
  const hashComments = HASH_COMMENT_LANGS.has(lang.toLowerCase());
  const pattern = new RegExp(
    [
      String.raw`(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)${hashComments ? String.raw`|#[^\n]*` : ""}${lang === "sql" ? String.raw`|--[^\n]*` : ""})`,
      String.raw`("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|\x60(?:[^\x60\\]|\\.)*\x60?)`,
      String.raw`(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[\da-f]+\b)`,
      String.raw`([A-Za-z_][\w]*)`,
    ].join("|"),
    "gi",
  );
  const tokens: Token[] = [];
  let last = 0;
  const push = (kind: TokenKind, text: string) => {
    const prev = tokens[tokens.length - 1];
    if (prev && prev.kind === kind) prev.text += text;
    else tokens.push({ kind, text });
  };
  for (const m of code.matchAll(pattern)) {
    if (m.index > last) push("plain", code.slice(last, m.index));
    if (m[1]) push("comment", m[0]);
    else if (m[2]) push("string", m[0]);
    else if (m[3]) push("number", m[0]);
    else push(KEYWORDS.has(m[0]) ? "keyword" : "plain", m[0]);
    last = m.index + m[0].length;
  }
  if (last < code.length) push("plain", code.slice(last));
  return tokens;
}
