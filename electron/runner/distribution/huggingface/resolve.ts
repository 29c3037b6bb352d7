/**
 * Resolves `hf.co/{user}/{repo}[:{quant}]` to the files to download: URLs on the configured endpoint,
 * sizes, LFS sha256 digests to verify against, and the headers to send (Authorization for the endpoint
 * only: the caller must not forward it when the endpoint redirects to a CDN on another host).
 */
import { authHeaders, hfClient, type HfClientOptions } from "./client.ts";
import { HuggingFaceError } from "./errors.ts";
import { listRepoFiles } from "./tree.ts";
import { selectGguf } from "./select.ts";

export interface HuggingFaceTarget {
  user: string;
  repo: string;
  /** Case-insensitive quant tag; default Q4_K_M, else a sensible single file. */
  quant?: string | null;
  revision?: string | null;
}

export interface ResolvedHfFile {
  /** Path inside the repository. */
  path: string;
  url: string;
  size: number;
  /** Hex sha256 of the file (its LFS oid). */
  sha256: string;
  role: "gguf" | "mmproj";
  headers: Record<string, string>;
}

export interface ResolvedHuggingFace {
  /** "user/repo" */
  repo: string;
  revision: string;
  /** Quant label of the chosen files, e.g. "Q4_K_M". */
  quant: string;
  /** GGUF weights in shard order, then the mmproj if any. */
  files: ResolvedHfFile[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

export async function resolveHuggingFace(
  target: HuggingFaceTarget,
  options: HfClientOptions = {},
): Promise<ResolvedHuggingFace> {
  for (const [part, value] of [
    ["user", target.user],
    ["repo", target.repo],
  ] as const) {
    if (!NAME.test(value ?? "")) {
      throw new HuggingFaceError("bad_reference", `Hugging Face ${part} name "${value}" is not valid`);
    }
  }
  // An HfClient is also a valid HfClientOptions: hfClient() normalises either.
  const client = hfClient(options);
  const repo = `${target.user}/${target.repo}`;
  const revision = target.revision || "main";
  const listing = await listRepoFiles(client, repo, revision);
  const selection = selectGguf(listing, target.quant || undefined, repo);
  const headers = authHeaders(client);
  const toFile = (f: (typeof listing)[number], role: ResolvedHfFile["role"]): ResolvedHfFile => {
    if (!f.lfs || !/^[0-9a-f]{64}$/.test(f.lfs.oid)) {
      throw new HuggingFaceError(
        "http_error",
        `${repo}: ${f.path} has no LFS sha256 to verify the download against`,
      );
    }
    const encodedPath = f.path.split("/").map(encodeURIComponent).join("/");
    return {
      path: f.path,
      url: `${client.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encodedPath}`,
      size: f.lfs.size || f.size,
      sha256: f.lfs.oid,
      role,
      headers: { ...headers },
    };
  };
  return {
    repo,
    revision,
    quant: selection.quant,
    files: [
      ...selection.model.map((f) => toFile(f, "gguf")),
      ...(selection.mmproj ? [toFile(selection.mmproj, "mmproj")] : []),
    ],
  };
}
