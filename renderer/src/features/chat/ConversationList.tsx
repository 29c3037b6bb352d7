/** The conversation list: search (titles and content), new, rename in place, delete with confirmation. */
import { useState } from "react";
import { useChat } from "./use-chat.ts";
import type { ConversationSearchHit } from "../../../../electron/contract/chat.ts";

export function ConversationList() {
  const conversations = useChat((s) => s.conversations);
  const query = useChat((s) => s.query);
  const search = useChat((s) => s.search);
  const create = useChat((s) => s.create);
  return (
    <aside className="chat-list" id="chat-conversations" aria-label="Conversations">
      <div className="chat-list-head">
        <button className="chat-new" onClick={() => void create()}>
          + New chat
        </button>
        <input
          type="search"
          className="chat-search"
          placeholder="Search conversations"
          aria-label="Search conversations"
          value={query}
          onChange={(e) => void search(e.target.value)}
        />
      </div>
      <ul>
        {conversations.map((c) => (
          <ConversationItem key={c.id} conversation={c} />
        ))}
        {conversations.length === 0 && (
          <li className="chat-list-empty">{query ? "No conversation matches." : "No conversations yet."}</li>
        )}
      </ul>
    </aside>
  );
}

function ConversationItem({ conversation: c }: { conversation: ConversationSearchHit }) {
  const currentId = useChat((s) => s.current?.id);
  const open = useChat((s) => s.open);
  const rename = useChat((s) => s.rename);
  const remove = useChat((s) => s.remove);
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(c.title);
  const [confirming, setConfirming] = useState(false);
  const active = c.id === currentId;

  if (editing)
    return (
      <li className="chat-item active">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setEditing(false);
            if (title.trim() && title !== c.title) void rename(c.id, title.trim());
          }}
        >
          <input
            autoFocus
            aria-label="Conversation title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            onBlur={() => setEditing(false)}
            onKeyDown={(e) => {
              if (e.key !== "Escape") return;
              e.preventDefault();
              setEditing(false);
            }}
          />
        </form>
      </li>
    );
  return (
    <li className={active ? "chat-item active" : "chat-item"} aria-current={active ? "true" : undefined}>
      <button className="chat-item-open" onClick={() => void open(c.id)} title={c.title}>
        <span className="chat-item-title">{c.title}</span>
        {c.excerpt && <span className="chat-item-excerpt">{c.excerpt}</span>}
        <span className="chat-item-meta">
          {c.model ?? "no model"} · {c.messageCount} {c.messageCount === 1 ? "message" : "messages"}
        </span>
      </button>
      {confirming ? (
        <span className="chat-item-actions confirm">
          <button className="danger" onClick={() => void remove(c.id)}>
            Delete
          </button>
          <button onClick={() => setConfirming(false)}>Keep</button>
        </span>
      ) : (
        <span className="chat-item-actions">
          <button
            aria-label={`Rename ${c.title}`}
            title="Rename"
            onClick={() => {
              setTitle(c.title);
              setEditing(true);
            }}
          >
            ✎
          </button>
          <button aria-label={`Delete ${c.title}`} title="Delete" onClick={() => setConfirming(true)}>
            ✕
          </button>
        </span>
      )}
    </li>
  );
}
