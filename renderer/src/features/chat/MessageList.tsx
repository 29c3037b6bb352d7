/** The messages of the open conversation, the reply streaming in, and the actions on each message. */
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { useChat } from "./use-chat.ts";
import { Markdown } from "./Markdown.tsx";
import { MessageView } from "./MessageView.tsx";
import { Thinking } from "./Thinking.tsx";
import type { ConversationMessage } from "../../../../electron/contract/chat.ts";

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
          {streaming.thinking && <Thinking text={streaming.thinking} active={!streaming.text} />}
          {streaming.loading && !streaming.text && !streaming.thinking ? (
            <div className="chat-loading" role="status">
              <span className="spinner" /> Loading model
              {streaming.loadProgress === undefined ? "…" : ` ${Math.round(streaming.loadProgress * 100)}%`}
            </div>
          ) : streaming.text ? (
            <Markdown text={streaming.text} streaming />
          ) : streaming.thinking ? null : (
            <div className="chat-loading" role="status">
              <span className="spinner" /> Thinking…
            </div>
          )}
        </article>
      )}
    </div>
  );
}

/**
 * A polite live region for screen readers: says once that a reply has finished, with its opening,
 * rather than every token as it streams in (the streaming reply itself is aria-busy).
 */
export function ReplyAnnouncer() {
  const finished = useChat((s) => s.finishedReplies);
  const last = useChat((s) => s.current?.messages.at(-1));
  const [text, setText] = useState("");
  useEffect(() => {
    if (finished === 0 || last?.role !== "assistant") return;
    setText(announcement(last));
    // Only a newly finished reply is announced, not a conversation opened or switched to.
  }, [finished]);
  return (
    <div className="chat-sr-only" role="status" aria-live="polite" aria-atomic="true">
      {text}
    </div>
  );
}

function announcement(m: ConversationMessage): string {
  if (m.error) return `Reply failed: ${m.error.message}`;
  const opening = m.content.length > 200 ? `${m.content.slice(0, 200)}…` : m.content;
  return `${m.figures?.finishReason === "cancelled" ? "Reply stopped" : "Reply finished"}: ${opening}`;
}
