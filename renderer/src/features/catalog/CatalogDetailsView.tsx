/** One catalog entry: its variants with a memory-fit badge and Download, and their progress. */
import { useApp } from "../../app/StoresContext.tsx";
import { DownloadRow } from "../downloads/DownloadList.tsx";
import { formatBytes } from "../../shared/format.ts";
import { FitBadge, variantSize } from "./FitBadge.tsx";

export function CatalogDetailsView() {
  const details = useApp("catalog", (s) => s.details)!;
  const close = useApp("catalog", (s) => s.closeDetails);
  const downloads = useApp("downloads", (s) => s.downloads);
  const start = useApp("downloads", (s) => s.start);
  const { entry } = details;
  return (
    <section className="screen">
      <header className="screen-header">
        <button className="btn ghost" onClick={close}>
          ← Catalog
        </button>
        <h1>{entry.name}</h1>
      </header>
      <p className="lead">{entry.description}</p>
      <dl className="facts">
        <dt>Parameters</dt>
        <dd>{entry.parameters ?? "—"}</dd>
        <dt>Context</dt>
        <dd>{entry.contextLength ? `${entry.contextLength.toLocaleString()} tokens` : "—"}</dd>
        <dt>License</dt>
        <dd>{entry.license ?? "—"}</dd>
        <dt>Memory for Hangar</dt>
        <dd>{formatBytes(details.availableBytes)}</dd>
      </dl>
      <h2>Variants</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Quantization</th>
            <th>Download</th>
            <th>Memory needed</th>
            <th>Fit</th>
            <th>Reference</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {details.variants.map((variant) => {
            const ref = variant.refs[0];
            const active = downloads.filter((d) => variant.refs.includes(d.ref)).at(-1);
            return (
              <tr key={variant.quantization}>
                <td className="mono">{variant.quantization}</td>
                <td title={variant.sizeEstimated ? "Estimated from parameters and quantization" : undefined}>
                  {variantSize(variant)}
                </td>
                <td>
                  {variant.estimatedBytes === null
                    ? "not known"
                    : `${variant.sizeEstimated ? "≈ " : ""}${formatBytes(variant.estimatedBytes)}`}
                </td>
                <td>{variant.fit ? <FitBadge fit={variant.fit} /> : "—"}</td>
                <td className="mono small">{variant.refs.join(" · ")}</td>
                <td>
                  {ref && (!active || active.state === "cancelled" || active.state === "error") && (
                    <button className="btn small primary" onClick={() => void start(ref)}>
                      Download
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ul className="downloads">
        {downloads
          .filter((d) => details.variants.some((v) => v.refs.includes(d.ref)))
          .map((d) => (
            <DownloadRow key={d.id} download={d} />
          ))}
      </ul>
    </section>
  );
}
