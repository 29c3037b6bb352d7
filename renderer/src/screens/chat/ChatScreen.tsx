/** Chat: conversations on the left, the open one on the right with its model, settings and messages. */
import { useEffect, useState } from "react";
import { useBridge } from "../../bridge/BridgeContext.tsx";
import { createChatStore, type ChatStore } from "./chat-store.ts";
import { ChatStoreContext, useChat } from "./chat-context.tsx";
import { ConversationList } from "./ConversationList.tsx";
import { ConversationSettings, ModelPicker } from "./ConversationSettings.tsx";
import { MessageList } from "./MessageList.tsx";
import { Composer } from "./Composer.tsx";
import "./chat.css";

export function ChatScreen({ model, store: given }: { model?: string | null; store?: ChatStore }) {
  const bridge = useBridge();
  const [store] = useState(() => given ?? createChatStore(bridge));
  useEffect(() => {
    const state = store.getState();
    void state.refresh().then(async () => {
      // "Open in chat" from the Models screen starts a conversation with that model.
      if (model) {
        await store.getState().create();
        await store.getState().configure({ model });
      } else await store.getState().openNewest();
    });
    return () => store.getState().dispose();
  }, [store, model]);
  return (
    <ChatStoreContext.Provider value={store}>
      <div className="chat">
        <ConversationList />
        <ConversationPane />
      </div>
    </ChatStoreContext.Provider>
  );
}

function ConversationPane() {
  const current = useChat((s) => s.current);
  const error = useChat((s) => s.error);
  const dismissError = useChat((s) => s.dismissError);
  const create = useChat((s) => s.create);
  const [showSettings, setShowSettings] = useState(false);
  if (!current)
    return (
      <section className="chat-pane chat-pane-empty">
        <p>Start a conversation with one of your installed models.</p>
        <button className="primary" onClick={() => void create()}>
          + New chat
        </button>
        {error && <p className="chat-banner">{error.message}</p>}
      </section>
    );
  return (
    <section className="chat-pane" aria-label={`Conversation ${current.title}`}>
      <header className="chat-header">
        <h2 className="chat-title">{current.title}</h2>
        <ModelPicker />
        <button
          className={showSettings ? "chat-settings-toggle active" : "chat-settings-toggle"}
          aria-expanded={showSettings}
          onClick={() => setShowSettings(!showSettings)}
        >
          ⚙ Settings
        </button>
      </header>
      {showSettings && <ConversationSettings onClose={() => setShowSettings(false)} />}
      {error && (
        <div className="chat-banner" role="alert">
          <span>{error.message}</span>
          <button onClick={dismissError}>Dismiss</button>
        </div>
      )}
      <MessageList />
      <Composer />
    </section>
  );
}
