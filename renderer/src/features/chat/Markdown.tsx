/**
 * Renders a reply's Markdown with react-markdown: GitHub's tables, task lists and strikethrough
 * (remark-gfm) and LaTeX math, `$…$` and `$$…$$` (remark-math + rehype-katex). Model output never
 * becomes HTML: raw HTML in a reply is dropped, links open only for http(s) and mailto, and images
 * are shown as links (a reply must not make the page fetch anything). Code blocks keep their own
 * view: highlighted when labelled with a language, plain when not, with a Copy button.
 * While a reply streams, it is parsed in chunks and only the last one re-renders each frame.
 */
import { memo, useMemo, useState, type ComponentProps, type ReactElement, type ReactNode } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import rehypeKatex from "rehype-katex";
import "katex/dist/katex.min.css";
import "./markdown.css";
import { highlight, type Token } from "./highlight.ts";
import { copyText } from "./copy-text.ts";
import { streamingChunks } from "./markdown-chunks.ts";

const remarkPlugins = [remarkGfm, remarkMath];
// KaTeX's errors are shown in place (red source) rather than thrown: a half-streamed formula is normal.
const rehypePlugins: NonNullable<ComponentProps<typeof ReactMarkdown>["rehypePlugins"]> = [
  [rehypeKatex, { throwOnError: false, strict: "ignore" }],
];

const SAFE_LINK = /^(https?:|mailto:)/i;

const components: Components = {
  a: ({ href, children }) =>
    href && SAFE_LINK.test(href) ? (
      <a href={href} target="_blank" rel="noreferrer noopener">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ src, alt }) =>
    typeof src === "string" && SAFE_LINK.test(src) ? (
      <a href={src} target="_blank" rel="noreferrer noopener">
        {alt ? `Image: ${alt}` : "Image"}
      </a>
    ) : (
      <span>{alt}</span>
    ),
  table: ({ children }) => (
    <div className="md-table">
      <table>{children}</table>
    </div>
  ),
  pre: ({ children }) => {
    const code = children as ReactElement<{ className?: string; children?: ReactNode }>;
    const lang = /language-([\w+#.-]+)/.exec(code?.props?.className ?? "")?.[1] ?? "";
    const text = String(code?.props?.children ?? "").replace(/\n$/, "");
    return <CodeBlock code={text} lang={lang} />;
  },
};

const Chunk = memo(function Chunk({ text }: { text: string }) {
  return (
    <ReactMarkdown
      remarkPlugins={remarkPlugins}
      rehypePlugins={rehypePlugins}
      components={components}
      skipHtml
    >
      {text}
    </ReactMarkdown>
  );
});

export function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const chunks = useMemo(() => (streaming ? streamingChunks(text) : [text]), [text, streaming]);
  return (
    <div className="md">
      {chunks.map((chunk, i) => (
        <Chunk key={i} text={chunk} />
      ))}
    </div>
  );
}

export function CodeBlock({ code, lang }: { code: string; lang: string }) {
  const [copied, setCopied] = useState(false);
  // No language named: no guessing, plain text.
  const tokens = useMemo<Token[]>(
    () => (lang ? highlight(code, lang) : [{ kind: "plain", text: code }]),
    [code, lang],
  );
  return (
    <div className="code-block">
      <div className="code-head">
        <span className="code-lang">{lang || "text"}</span>
        <button
          className="code-copy"
          aria-label="Copy code"
          onClick={() =>
            void copyText(code).then((ok) => {
              setCopied(ok);
              if (ok) setTimeout(() => setCopied(false), 1500);
            })
          }
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <pre>
        <code>
          {tokens.map((t, i) =>
            t.kind === "plain" ? (
              t.text
            ) : (
              <span key={i} className={`tok-${t.kind}`}>
                {t.text}
              </span>
            ),
          )}
        </code>
      </pre>
    </div>
  );
}
