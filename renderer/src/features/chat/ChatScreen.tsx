/** Chat: conversations on the left, the open one on the right with its model, settings and messages. */
import { useEffect, useState } from "react";
import { useApp, useStores } from "../../app/StoresContext.tsx";
import { useChat } from "./use-chat.ts";
import { ConversationList } from "./ConversationList.tsx";
import { ConversationSettings, ModelPicker } from "./ConversationSettings.tsx";
import { MessageList } from "./MessageList.tsx";
import { Composer } from "./Composer.tsx";
import "./chat.css";

export function ChatScreen() {
  const { chat: store, navigation } = useStores();
  const chatModel = useApp("navigation", (s) => s.chatModel);
  useEffect(() => {
    void store
      .getState()
      .refresh()
      .then(async () => {
        // "Chat" on the Models screen asks for a conversation with that model: start one, once.
        if (chatModel) {
          navigation.setState({ chatModel: null });
          await store.getState().create(chatModel);
        } else await store.getState().openNewest();
      });
  }, [store, chatModel, navigation]);
  return (
    <div className="chat full-panel">
      <ConversationList />
      <ConversationPane />
    </div>
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
