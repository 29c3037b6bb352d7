/**
 * Models other tools already keep on this computer, found where they are and used in place. A
 * discovered model is never written to, moved or deleted: it enters Hangar's store only when adopted,
 * and then as a verified copy (or reflink) of its own.
 */

import { IN_PLACE_SOURCE_LABELS } from "../../contract/models.ts";
import type { DiscoverySourceId } from "../../contract/settings.ts";

export { DISCOVERY_SOURCES, type DiscoverySourceId } from "../../contract/settings.ts";
export type DiscoveredSource = DiscoverySourceId | "folder";

export const SOURCE_LABELS = IN_PLACE_SOURCE_LABELS as Readonly<Record<DiscoveredSource, string>>;

/** A blob of a content-addressed store (Ollama, Docker Model Runner): its digest is its file name. */
export interface NamedBlob {
  digest: string;
  size: number;
  path: string;
}

/** What a scanner finds: the files of one model and the name it would have if pulled. */
export interface FoundModel {
  /** Canonical reference (as the store would index it after a pull). */
  ref: string;
  source: DiscoveredSource;
  /** The folder (or manifest) the model was found in, for display. */
  location: string;
  /** Weight files in shard order. */
  ggufPaths: string[];
  mmprojPath: string | null;
  /** sha256 digests known from the other tool's own content addressing, by path (not re-hashed here). */
  knownDigests: Record<string, string>;
  /**
   * For tools that store OCI-style manifests (Ollama, Docker Model Runner): the manifest text and every
   * blob it names, so adoption stores it exactly as a pull would have.
   */
  manifest?: { text: string; blobs: NamedBlob[] };
  chatTemplate?: string | null;
  params?: Record<string, unknown> | null;
  systemPrompt?: string | null;
  license?: string | null;
}

/** Every source is on by default (Settings.discoveryDisabled, Settings.discoveryFolders). */
export interface DiscoverySettings {
  disabled: readonly string[];
  /** Folders the user added: another tool's folder (its layout is recognised) or loose GGUF files. */
  folders: readonly string[];
}

export const DEFAULT_DISCOVERY_SETTINGS: Readonly<DiscoverySettings> = Object.freeze({
  disabled: [],
  folders: [],
});
