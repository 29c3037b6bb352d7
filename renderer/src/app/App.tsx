/** The app shell: navigation, the runner toggle, and the current screen. */
import { useEffect, useState } from "react";
import { SCREENS, type Screen } from "./navigation-store.ts";
import { connectAppStores } from "./app-stores.ts";
import { useApp, useStores } from "./StoresContext.tsx";
import { RunnerDot, RunnerToggle } from "../features/runner/RunnerToggle.tsx";
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

/** The menu folded to a narrow rail (kept for the next visit): more room for a screen in a small window. */
const FOLD_KEY = "hangar.menuFolded";
function useMenuFold(): [boolean, (folded: boolean) => void] {
  const [folded, setFolded] = useState(() => {
    try {
      return localStorage.getItem(FOLD_KEY) === "1";
    } catch {
      return false;
    }
  });
  const set = (next: boolean) => {
    setFolded(next);
    try {
      localStorage.setItem(FOLD_KEY, next ? "1" : "0");
    } catch {
      // Storage refused (a private window): the choice lasts for this page.
    }
  };
  return [folded, set];
}

export function App() {
  const stores = useStores();
  const screen = useApp("navigation", (s) => s.screen);
  const go = useApp("navigation", (s) => s.go);
  const [folded, setFolded] = useMenuFold();
  useEffect(() => connectAppStores(stores), [stores]);
  return (
    <div className={folded ? "app menu-folded" : "app"}>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          <span className={folded ? "visually-hidden" : undefined}>Hangar</span>
        </div>
        {SCREENS.map((name) => (
          <button
            key={name}
            className={name === screen ? "nav-item active" : "nav-item"}
            aria-current={name === screen ? "page" : undefined}
            title={folded ? name : undefined}
            onClick={() => go(name)}
          >
            <span className="nav-short" aria-hidden="true">
              {name.slice(0, 2)}
            </span>
            <span className={folded ? "visually-hidden" : undefined}>{name}</span>
          </button>
        ))}
        <button
          className="nav-item nav-fold"
          aria-expanded={!folded}
          aria-label={folded ? "Show the menu" : "Fold the menu"}
          title={folded ? "Show the menu" : "Fold the menu"}
          onClick={() => setFolded(!folded)}
        >
          {folded ? "»" : "«"}
        </button>
        <div className="spacer" />
        {folded ? (
          // The runner's state stays in view; its controls are one click away in the full menu.
          <button
            className="nav-item runner-dot"
            title="Runner: show the menu"
            onClick={() => setFolded(false)}
          >
            <RunnerDot />
          </button>
        ) : (
          <RunnerToggle />
        )}
      </nav>
      <main className="content">
        <SettingsProblemsBanner />
        <CurrentScreen screen={screen} />
      </main>
    </div>
  );
}
