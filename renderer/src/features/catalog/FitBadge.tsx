/** How a model fits this machine's memory, as a badge: on catalog cards, search results and variants. */
import type { CatalogVariant, MemoryFit } from "../../../../electron/contract/index.ts";
import { formatBytes } from "../../shared/format.ts";

export const FIT_TEXT: Record<MemoryFit, string> = { fits: "Fits", tight: "Tight", too_large: "Too large" };
const FIT_TITLE: Record<MemoryFit, string> = {
  fits: "Fits in the memory Hangar may use here",
  tight: "Fits, with little memory to spare",
  too_large: "Needs more memory than Hangar may use here",
};

export function FitBadge({ fit }: { fit: MemoryFit }) {
  return (
    <span className={`badge fit-${fit}`} title={FIT_TITLE[fit]}>
      {FIT_TEXT[fit]}
    </span>
  );
}

/** A variant's download size: "≈ 170 MB" when estimated, "not stated" when unknown. */
export function variantSize(v: Pick<CatalogVariant, "sizeBytes" | "sizeEstimated">): string {
  if (v.sizeBytes === null) return "not stated";
  return `${v.sizeEstimated ? "≈ " : ""}${formatBytes(v.sizeBytes)}`;
}
