/**
 * Says, on every screen, which saved settings the runner set aside when it started (they broke a rule,
 * so their defaults are in use) and leads to Settings, where a save writes good settings back.
 */
import { useApp } from "../../app/StoresContext.tsx";

export function SettingsProblemsBanner() {
  const problems = useApp("runner", (s) => s.status?.settingsProblems?.join("\n") ?? "");
  const screen = useApp("navigation", (s) => s.screen);
  const go = useApp("navigation", (s) => s.go);
  if (!problems) return null;
  return (
    <div className="settings-problems" role="alert">
      <p>
        <strong>Some saved settings could not be used.</strong> Hangar started with their defaults instead:
      </p>
      <ul>
        {problems.split("\n").map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
      {screen === "Settings" ? (
        <p>Check the values below and save: that writes good settings back.</p>
      ) : (
        <button className="btn small" onClick={() => go("Settings")}>
          Open Settings
        </button>
      )}
    </div>
  );
}
