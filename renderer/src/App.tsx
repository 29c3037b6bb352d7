/** The app shell: navigation, the runner toggle, and the current screen. */
import { useEffect } from "react";
import { SCREENS, type Screen } from "./stores/navigation-store.ts";
import { connectAppStores } from "./stores/app-stores.ts";
import { useApp, useStores } from "./stores/StoresContext.tsx";
import { RunnerToggle } from "./components/RunnerToggle.tsx";
import { CatalogScreen } from "./screens/CatalogScreen.tsx";
import { ModelsScreen } from "./screens/ModelsScreen.tsx";
import { SettingsScreen } from "./screens/SettingsScreen.tsx";
import { ChatSlot, LogsSlot } from "./screens/slots.tsx";

function CurrentScreen({ screen, chatModel }: { screen: Screen; chatModel: string | null }) {
  switch (screen) {
    case "Catalog":
      return <CatalogScreen />;
    case "Models":
      return <ModelsScreen />;
    case "Chat":
      return <ChatSlot model={chatModel} />;
    case "Logs":
      return <LogsSlot />;
    case "Settings":
      return <SettingsScreen />;
    default:
      return screen satisfies never;
  }
}

export function App() {
  const stores = useStores();
  const screen = useApp("navigation", (s) => s.screen);
  const go = useApp("navigation", (s) => s.go);
  const chatModel = useApp("navigation", (s) => s.chatModel);
  useEffect(() => connectAppStores(stores), [stores]);
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          Hangar
        </div>
        {SCREENS.map((name) => (
          <button
            key={name}
            className={name === screen ? "nav-item active" : "nav-item"}
            aria-current={name === screen ? "page" : undefined}
            onClick={() => go(name)}
          >
            {name}
          </button>
        ))}
        <div className="spacer" />
        <RunnerToggle />
      </nav>
      <main className="content">
        <CurrentScreen screen={screen} chatModel={chatModel} />
      </main>
    </div>
  );
}
