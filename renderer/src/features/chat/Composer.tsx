/**
 * The message box: Enter sends, Shift+Enter starts a new line; Stop while a reply streams. With no
 * conversation open it is ready all the same: the first message creates one. What is typed is kept
 * per conversation in the store, so it survives going to another screen or conversation.
 */
import { useEffect, useRef } from "react";
import { useChat } from "./use-chat.ts";
import { draftOf, modelInUse } from "./chat-store.ts";

export function Composer() {
  const streaming = useChat((s) => s.streaming !== null);
  const hasModel = useChat((s) => modelInUse(s) !== null);
  const focusRequest = useChat((s) => s.composerFocus);
  const send = useChat((s) => s.send);
  const stop = useChat((s) => s.stop);
  const text = useChat(draftOf);
  const setText = useChat((s) => s.setDraft);
  const box = useRef<HTMLTextAreaElement>(null);
  // After "New chat" the next key belongs to the message, not to the button (which it would press again).
  useEffect(() => {
    if (focusRequest > 0) box.current?.focus();
  }, [focusRequest]);
  const submit = () => {
    // Without a model there is nobody to answer: keep the text until one is picked.
    if (!text.trim() || streaming || !hasModel) return;
    send(text);
  };
  return (
    <form
      className="chat-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={box}
        aria-label="Message"
        placeholder={
          hasModel ? "Message the model (Enter to send, Shift+Enter for a new line)" : "Pick a model first"
        }
        rows={2}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      {streaming ? (
        <button type="button" className="chat-stop" onClick={() => void stop()}>
          ■ Stop
        </button>
      ) : (
        <button
          type="submit"
          className="primary chat-send"
          disabled={!text.trim() || !hasModel}
          aria-describedby={hasModel ? undefined : "chat-send-reason"}
        >
          Send
        </button>
      )}
      {!hasModel && !streaming && (
        <div id="chat-send-reason" className="chat-send-reason muted small">
          Pick a model to send: use the Model menu above, or pull one from the Catalog.
        </div>
      )}
    </form>
  );
}
