/** The messages of the open conversation, the reply streaming in, and the actions on each message. */
import { memo, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useChat } from "./use-chat.ts";
import { Markdown } from "./Markdown.tsx";
import { copyText } from "./copy-text.ts";
import type { ConversationMessage, ReplyFigures } from "../../../../electron/contract/chat.ts";

export function formatFigures(f: ReplyFigures): string {
  const parts = [
    `${f.completionTokens} tokens`,
    `${f.tokensPerSecond.toFixed(1)} tok/s`,
    `TTFT ${Math.round(f.timeToFirstTokenMs)} ms`,
  ];
  if (f.finishReason === "cancelled") parts.push("stopped");
  if (f.finishReason === "length") parts.push("hit the token limit");
  return parts.join(" · ");
}

/** One array for "no conversation yet": a selector must return the same value for the same state. */
const NO_MESSAGES: ConversationMessage[] = [];

export function MessageList() {
  const messages = useChat((s) => s.current?.messages ?? NO_MESSAGES);
  const streaming = useChat((s) => s.streaming);
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  // Follow the reply as it grows, unless the reader scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, streaming?.text]);

  return (
    <div
      className="chat-messages"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {messages.length === 0 && !streaming && (
        <div className="chat-empty">Say hello — the model loads with your first message.</div>
      )}
      {messages.map((m, i) => (
        <MessageView key={m.id} message={m} last={i === messages.length - 1} />
      ))}
      {streaming && (
        <article className="msg assistant streaming" aria-label="Reply in progress" aria-busy="true">
          {streaming.loading && !streaming.text ? (
            <div className="chat-loading" role="status">
              <span className="spinner" /> Loading model
              {streaming.loadProgress === undefined ? "…" : ` ${Math.round(streaming.loadProgress * 100)}%`}
            </div>
          ) : streaming.text ? (
            <Markdown text={streaming.text} />
          ) : (
            <div className="chat-loading" role="status">
              <span className="spinner" /> Thinking…
            </div>
          )}
        </article>
      )}
    </div>
  );
}

const MessageView = memo(function MessageView({
  message: m,
  last,
}: {
  message: ConversationMessage;
  last: boolean;
}) {
  const busy = useChat((s) => s.streaming !== null);
  const regenerate = useChat((s) => s.regenerate);
  const edit = useChat((s) => s.edit);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(m.content);
  const [copied, setCopied] = useState(false);
  useEffect(() => setDraft(m.content), [m.content]);

  const copy = () =>
    void copyText(m.content).then((ok) => {
      setCopied(ok);
      if (ok) setTimeout(() => setCopied(false), 1500);
    });

  if (m.role === "user")
    return (
      <article className="msg user" aria-label="Your message">
        {editing ? (
          <form
            className="msg-edit"
            onSubmit={(e) => {
              e.preventDefault();
              setEditing(false);
              edit(m.id, draft);
            }}
          >
            <textarea
              aria-label="Edit message"
              value={draft}
              rows={3}
              onChange={(e) => setDraft(e.target.value)}
            />
            <div className="msg-actions">
              <button type="submit" className="primary" disabled={!draft.trim()}>
                Save &amp; send
              </button>
              <button type="button" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <>
            <div className="msg-text">{m.content}</div>
            <div className="msg-actions">
              <button onClick={copy}>{copied ? "Copied" : "Copy"}</button>
              <button disabled={busy} onClick={() => setEditing(true)}>
                Edit
              </button>
            </div>
          </>
        )}
      </article>
    );

  return (
    <article className={m.error ? "msg assistant failed" : "msg assistant"} aria-label="Reply">
      {m.content && <Markdown text={m.content} />}
      {m.error && (
        <div className="msg-error" role="alert">
          <span>{m.error.message}</span>
          {last && (
            <button className="primary" disabled={busy} onClick={regenerate}>
              Retry
            </button>
          )}
        </div>
      )}
      <div className="msg-footer">
        {m.figures && <span className="msg-figures">{formatFigures(m.figures)}</span>}
        <span className="msg-actions">
          {m.content && <button onClick={copy}>{copied ? "Copied" : "Copy"}</button>}
          {last && !m.error && (
            <button disabled={busy} onClick={regenerate}>
              Regenerate
            </button>
          )}
        </span>
      </div>
    </article>
  );
});
