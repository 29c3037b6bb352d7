/**
 * One message with its actions: copy; edit (a user message: the earlier text stays as a version);
 * regenerate or retry (the last reply: the earlier one stays as a version); and "‹ 2/3 ›" to switch
 * between a message's versions.
 */
import { memo, useEffect, useState } from "react";
import { useChat } from "./use-chat.ts";
import { Markdown } from "./Markdown.tsx";
import { Thinking } from "./Thinking.tsx";
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

export const MessageView = memo(function MessageView({
  message: m,
  last,
}: {
  message: ConversationMessage;
  last: boolean;
}) {
  const busy = useChat((s) => s.streaming !== null);
  const regenerate = useChat((s) => s.regenerate);
  const [editing, setEditing] = useState(false);
  const [copied, setCopied] = useState(false);

  const copy = () =>
    void copyText(m.content).then((ok) => {
      setCopied(ok);
      if (ok) setTimeout(() => setCopied(false), 1500);
    });

  if (m.role === "user")
    return (
      <article className="msg user" aria-label="Your message">
        {editing ? (
          <EditForm message={m} onDone={() => setEditing(false)} />
        ) : (
          <>
            <div className="msg-text">{m.content}</div>
            <div className="msg-actions">
              <Versions message={m} />
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
      {m.thinking && <Thinking text={m.thinking} />}
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
          <Versions message={m} />
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

/** "‹ 2/3 ›": this message's versions, when it has several. */
function Versions({ message: m }: { message: ConversationMessage }) {
  const busy = useChat((s) => s.streaming !== null);
  const selectVersion = useChat((s) => s.selectVersion);
  const versions = m.versions;
  if (!versions || versions.length < 2) return null;
  const at = versions.indexOf(m.id);
  const what = m.role === "user" ? "message" : "reply";
  return (
    <span className="msg-versions" role="group" aria-label={`Versions of this ${what}`}>
      <button
        aria-label={`Previous version of this ${what}`}
        disabled={busy || at <= 0}
        onClick={() => void selectVersion(versions[at - 1]!)}
      >
        ‹
      </button>
      <span className="msg-version-count">
        {at + 1}/{versions.length}
      </span>
      <button
        aria-label={`Next version of this ${what}`}
        disabled={busy || at >= versions.length - 1}
        onClick={() => void selectVersion(versions[at + 1]!)}
      >
        ›
      </button>
    </span>
  );
}

/** Editing a message: focus in the box, Enter sends (Shift+Enter: new line), Escape cancels. */
function EditForm({ message: m, onDone }: { message: ConversationMessage; onDone(): void }) {
  const edit = useChat((s) => s.edit);
  const [draft, setDraft] = useState(m.content);
  useEffect(() => setDraft(m.content), [m.content]);
  const submit = () => {
    if (!draft.trim()) return;
    onDone();
    if (draft !== m.content) edit(m.id, draft);
  };
  return (
    <form
      className="msg-edit"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        aria-label="Edit message"
        aria-describedby={`edit-hint-${m.id}`}
        value={draft}
        rows={3}
        autoFocus
        onFocus={(e) => e.currentTarget.setSelectionRange(draft.length, draft.length)}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            e.stopPropagation();
            onDone();
          } else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div className="msg-edit-hint" id={`edit-hint-${m.id}`}>
        Enter sends, Escape cancels. The earlier text and its replies stay a version back.
      </div>
      <div className="msg-actions">
        <button type="submit" className="primary" disabled={!draft.trim()}>
          Save &amp; send
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
