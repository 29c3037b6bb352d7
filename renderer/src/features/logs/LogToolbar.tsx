/** Filters (level, source, model, text), follow/pause with the count of lines held back, clear and export. */
import { logLevels, logSources } from "../../../../electron/contract/logs.ts";
import { useLogStore, useLogs } from "./use-logs.ts";

export function LogToolbar() {
  const store = useLogStore();
  const filters = useLogs((s) => s.filters);
  const models = useLogs((s) => s.models);
  const paused = useLogs((s) => s.paused);
  const follow = useLogs((s) => s.follow);
  const arrived = useLogs((s) => s.arrivedWhilePaused);
  const s = store.getState();

  const exportVisible = () => {
    const blob = new Blob([s.exportText()], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `hangar-logs-${new Date().toISOString().replace(/[:.]/g, "-")}.log`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="log-toolbar">
      <input
        type="search"
        className="log-search"
        placeholder="Search"
        aria-label="Search logs"
        value={filters.search}
        onChange={(e) => s.setFilters({ search: e.target.value })}
      />
      <div className="log-chips" role="group" aria-label="Levels">
        {logLevels.map((level) => (
          <button
            key={level}
            className={`log-chip ${level}${filters.levels.has(level) ? " on" : ""}`}
            aria-pressed={filters.levels.has(level)}
            onClick={() => s.toggleLevel(level)}
          >
            {level}
          </button>
        ))}
      </div>
      <div className="log-chips" role="group" aria-label="Sources">
        {logSources.map((source) => (
          <button
            key={source}
            className={`log-chip${filters.sources.has(source) ? " on" : ""}`}
            aria-pressed={filters.sources.has(source)}
            onClick={() => s.toggleSource(source)}
          >
            {source}
          </button>
        ))}
      </div>
      <select
        aria-label="Model"
        className="log-model-filter"
        value={filters.model ?? ""}
        onChange={(e) => s.setFilters({ model: e.target.value || null })}
      >
        <option value="">All models</option>
        {models.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      <div className="log-actions">
        <label className="log-follow">
          <input
            type="checkbox"
            checked={follow}
            disabled={paused}
            onChange={(e) => s.setFollow(e.target.checked)}
          />
          Follow
        </label>
        {paused ? (
          <button className="log-resume" onClick={s.resume}>
            ▶ Resume{arrived > 0 ? ` (${arrived.toLocaleString()} new)` : ""}
          </button>
        ) : (
          <button onClick={s.pause}>❚❚ Pause</button>
        )}
        <button onClick={s.clear}>Clear</button>
        <button onClick={exportVisible}>Export</button>
      </div>
    </div>
  );
}
