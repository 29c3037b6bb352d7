/** The app shell: navigation, the runner toggle, and the current screen. */
import { useEffect } from "react";
import { SCREENS, type Screen } from "./navigation-store.ts";
import { connectAppStores } from "./app-stores.ts";
import { useApp, useStores } from "./StoresContext.tsx";
import { RunnerToggle } from "../features/runner/RunnerToggle.tsx";
import { CatalogScreen } from "../features/catalog/CatalogScreen.tsx";
import { ModelsScreen } from "../features/models/ModelsScreen.tsx";
import { ChatScreen } from "../features/chat/ChatScreen.tsx";
import { LogsScreen } from "../features/logs/LogsScreen.tsx";
import { SettingsScreen } from "../features/settings/SettingsScreen.tsx";
import { SettingsProblemsBanner } from "../features/settings/SettingsProblemsBanner.tsx";

function CurrentScreen({ screen }: { screen: Screen }) {
  switch (screen) {
    case "Catalog":
      return <CatalogScreen />;
    case "Models":
      return <ModelsScreen />;
    case "Chat":
      return <ChatScreen />;
    case "Logs":
      return <LogsScreen />;
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
        <SettingsProblemsBanner />
        <CurrentScreen screen={screen} />
      </main>
    </div>
  );
}
