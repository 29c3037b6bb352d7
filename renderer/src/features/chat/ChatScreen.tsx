/** Chat: conversations on the left, the open one on the right with its model, settings and messages. */
import { useEffect, useState } from "react";
import { useApp, useStores } from "../../app/StoresContext.tsx";
import { NEW_CONVERSATION_TITLE } from "../../../../electron/contract/chat.ts";
import { useChat } from "./use-chat.ts";
import { ConversationList } from "./ConversationList.tsx";
import { ConversationSettings, ModelPicker } from "./ConversationSettings.tsx";
import { MessageList, ReplyAnnouncer } from "./MessageList.tsx";
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
  // Escape stops a reply, wherever the focus is (a field that uses Escape itself, such as the edit box
  // or a rename, handles it first).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented || !store.getState().streaming) return;
      e.preventDefault();
      void store.getState().stop();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [store]);
  const listOpen = useChat((s) => s.listOpen);
  return (
    <div className={listOpen ? "chat full-panel" : "chat full-panel list-hidden"}>
      {listOpen && <ConversationList />}
      <ConversationPane />
    </div>
  );
}

function ConversationPane() {
  const current = useChat((s) => s.current);
  const error = useChat((s) => s.error);
  const dismissError = useChat((s) => s.dismissError);
  const listOpen = useChat((s) => s.listOpen);
  const toggleList = useChat((s) => s.toggleList);
  const [showSettings, setShowSettings] = useState(false);
  return (
    <section
      className="chat-pane"
      aria-label={current ? `Conversation ${current.title}` : "New conversation"}
    >
      <header className="chat-header">
        <button
          className="chat-list-toggle"
          aria-expanded={listOpen}
          aria-controls="chat-conversations"
          aria-label={listOpen ? "Hide conversations" : "Show conversations"}
          title={listOpen ? "Hide conversations" : "Show conversations"}
          onClick={toggleList}
        >
          ☰
        </button>
        <h2 className="chat-title">{current?.title ?? NEW_CONVERSATION_TITLE}</h2>
        <ModelPicker />
        {current && (
          <button
            className={showSettings ? "chat-settings-toggle active" : "chat-settings-toggle"}
            aria-expanded={showSettings}
            onClick={() => setShowSettings(!showSettings)}
          >
            ⚙ Settings
          </button>
        )}
      </header>
      {current && showSettings && <ConversationSettings onClose={() => setShowSettings(false)} />}
      {error && (
        <div className="chat-banner" role="alert">
          <span>{error.message}</span>
          <button onClick={dismissError}>Dismiss</button>
        </div>
      )}
      <MessageList />
      <ReplyAnnouncer />
      <Composer />
    </section>
  );
}
