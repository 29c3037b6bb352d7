import { useState } from "react";

const SCREENS = ["Catalog", "Models", "Chat", "Logs", "Settings"] as const;
type Screen = (typeof SCREENS)[number];

export function App() {
  const [screen, setScreen] = useState<Screen>("Catalog");
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Hangar</div>
        {SCREENS.map((name) => (
          <button
            key={name}
            className={name === screen ? "nav-item active" : "nav-item"}
            aria-current={name === screen ? "page" : undefined}
            onClick={() => setScreen(name)}
          >
            {name}
          </button>
        ))}
      </nav>
      <main className="content">
        <h1>{screen}</h1>
      </main>
    </div>
  );
}
