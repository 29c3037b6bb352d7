/** Catalog: curated models and live Hugging Face search; a details view to pick a variant and download. */
import { useEffect, useState } from "react";
import type { CatalogEntry } from "../../../../electron/contract/index.ts";
import { useApp } from "../../app/StoresContext.tsx";
import { DownloadList } from "../downloads/DownloadList.tsx";
import { PullByReference } from "../downloads/PullByReference.tsx";
import { CatalogDetailsView } from "./CatalogDetailsView.tsx";
import "./catalog.css";
import { FitBadge, variantSize } from "./FitBadge.tsx";

function EntryCard({ entry, onOpen }: { entry: CatalogEntry; onOpen: () => void }) {
  const smallest = entry.variants
    .filter((v) => v.sizeBytes !== null)
    .sort((a, b) => a.sizeBytes! - b.sizeBytes!)[0];
  return (
    // Named by its content (title, description, chips): a label of its own would hide what it shows.
    <button className="card" onClick={onOpen}>
      <span className="visually-hidden">Open </span>
      <div className="card-title">{entry.name}</div>
      <div className="card-desc">{entry.description}</div>
      <div className="chips">
        {entry.parameters && <span className="chip">{entry.parameters}</span>}
        {entry.fit && <FitBadge fit={entry.fit} />}
        {smallest !== undefined && <span className="chip">from {variantSize(smallest)}</span>}
        {entry.license && <span className="chip muted">{entry.license}</span>}
        {entry.origin === "huggingface" && <span className="chip hf">Hugging Face</span>}
      </div>
    </button>
  );
}

export function CatalogScreen() {
  const s = useApp("catalog", (x) => x);
  const [query, setQuery] = useState(s.query);
  const { loadCurated } = s;
  // Load once the bridge is connected: the runner's status is the first thing to arrive.
  const connected = useApp("runner", (x) => x.status !== null);
  useEffect(() => {
    if (connected) void loadCurated();
  }, [loadCurated, connected]);

  if (s.details) return <CatalogDetailsView />;
  const entries = s.results ?? s.curated;
  return (
    <section className="screen">
      <header className="screen-header">
        <h1>Catalog</h1>
        <form
          className="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void s.search(query);
          }}
        >
          <input
            aria-label="Search models"
            placeholder="Search Hugging Face for GGUF models"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button className="btn" type="submit" disabled={s.searching}>
            {s.searching ? "Searching…" : "Search"}
          </button>
          {s.results && (
            <button
              className="btn ghost"
              type="button"
              onClick={() => {
                setQuery("");
                void s.search("");
              }}
            >
              Clear
            </button>
          )}
        </form>
      </header>
      <PullByReference />
      <DownloadList />
      {s.error && <div className="error banner">{s.error}</div>}
      {s.searchError && (
        <div className="warn banner search-failed" role="alert">
          <span>Hugging Face search failed: {s.searchError}</span>
          <button className="btn small" disabled={s.searching} onClick={() => void s.search(s.query)}>
            {s.searching ? "Retrying…" : "Retry"}
          </button>
        </div>
      )}
      <h2>
        {!s.results
          ? "Popular small models"
          : s.searchError
            ? `Built-in models matching “${s.query}”`
            : `Results for “${s.query}”`}
      </h2>
      {entries.length === 0 ? (
        <div className="empty">
          {!s.results
            ? "Loading the catalog…"
            : s.searchError
              ? "No built-in model matches; retry the Hugging Face search when the connection is back."
              : "No models found."}
        </div>
      ) : (
        <div className="grid">
          {entries.map((entry) => (
            <EntryCard key={entry.id} entry={entry} onOpen={() => void s.openDetails(entry.id)} />
          ))}
        </div>
      )}
    </section>
  );
}
