/** Chat: conversations on the left, the open one on the right with its model, settings and messages. */
import { useEffect, useState } from "react";
import { useStore } from "zustand";
import type { Bridge } from "../../../../electron/contract/api.ts";
import { useBridge } from "../../bridge/BridgeContext.tsx";
import { useStores } from "../../stores/StoresContext.tsx";
import { createChatStore, type ChatStore } from "./chat-store.ts";
import { ChatStoreContext, useChat } from "./chat-context.tsx";
import { ConversationList } from "./ConversationList.tsx";
import { ConversationSettings, ModelPicker } from "./ConversationSettings.tsx";
import { MessageList } from "./MessageList.tsx";
import { Composer } from "./Composer.tsx";
import "./chat.css";

const storesByBridge = new WeakMap<Bridge, ChatStore>();

/** One chat store per bridge for the page's life: leaving the screen mid-reply must not stop the reply. */
function chatStoreFor(bridge: Bridge): ChatStore {
  let store = storesByBridge.get(bridge);
  if (!store) storesByBridge.set(bridge, (store = createChatStore(bridge)));
  return store;
}

export function ChatScreen({ store: given }: { store?: ChatStore }) {
  const bridge = useBridge();
  const navigation = useStores().navigation;
  const chatModel = useStore(navigation, (s) => s.chatModel);
  const [store] = useState(() => given ?? chatStoreFor(bridge));
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
    <ChatStoreContext.Provider value={store}>
      <div className="chat full-panel">
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
