/** Renders a reply's Markdown as React elements. Each block is memoized, so streaming re-renders only the last one. */
import { memo, useMemo, useState, type ReactNode } from "react";
import { parseBlocks, parseInline, type Block, type Inline } from "./markdown-blocks.ts";
import { highlight } from "./highlight.ts";
import { copyText } from "./copy-text.ts";

export function Markdown({ text }: { text: string }) {
  const blocks = useMemo(() => parseBlocks(text), [text]);
  return (
    <div className="md">
      {blocks.map((block, i) => (
        <BlockView key={i} block={block} />
      ))}
    </div>
  );
}

const BlockView = memo(
  function BlockView({ block }: { block: Block }) {
    switch (block.kind) {
      case "code":
        return <CodeBlock code={block.code} lang={block.lang} />;
      case "heading": {
        const Tag = `h${Math.min(6, block.level + 2)}` as "h3";
        return <Tag className="md-heading">{renderInline(parseInline(block.text))}</Tag>;
      }
      case "list": {
        const items = block.items.map((item, i) => <li key={i}>{renderInline(parseInline(item))}</li>);
        return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
      }
      case "quote":
        return <blockquote>{renderInline(parseInline(block.text))}</blockquote>;
      case "rule":
        return <hr />;
      case "paragraph":
        return <p>{renderInline(parseInline(block.text))}</p>;
      default:
        return block satisfies never;
    }
  },
  (a, b) => JSON.stringify(a.block) === JSON.stringify(b.block),
);

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.kind) {
      case "text":
        return withBreaks(node.text, i);
      case "code":
        return <code key={i}>{node.text}</code>;
      case "strong":
        return <strong key={i}>{renderInline(node.children)}</strong>;
      case "em":
        return <em key={i}>{renderInline(node.children)}</em>;
      case "link":
        return (
          <a key={i} href={node.href} target="_blank" rel="noreferrer noopener">
            {renderInline(node.children)}
          </a>
        );
      default:
        return node satisfies never;
    }
  });
}

function withBreaks(text: string, key: number): ReactNode {
  const parts = text.split("\n");
  if (parts.length === 1) return text;
  return (
    <span key={key}>
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 && <br />}
          {p}
        </span>
      ))}
    </span>
  );
}

export function CodeBlock({ code, lang }: { code: string; lang: string }) {
  const [copied, setCopied] = useState(false);
  const tokens = useMemo(() => highlight(code, lang), [code, lang]);
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
