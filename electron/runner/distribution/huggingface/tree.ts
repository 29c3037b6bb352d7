/** Lists a repository's files through the Hub's tree API (recursive, following pagination). */
import { hfFetch, type HfClient } from "./client.ts";
import { hubError } from "./errors.ts";

export interface HfTreeFile {
  path: string;
  size: number;
  /** Git blob id. */
  oid: string;
  /** LFS pointer: `oid` is the sha256 of the file's bytes. */
  lfs: { oid: string; size: number } | null;
}

interface TreeEntry {
  type?: unknown;
  path?: unknown;
  size?: unknown;
  oid?: unknown;
  lfs?: { oid?: unknown; size?: unknown } | null;
}

export async function listRepoFiles(
  client: HfClient,
  repo: string,
  revision = "main",
): Promise<HfTreeFile[]> {
  const what = `Hugging Face repository "${repo}" (${revision}) at ${client.endpoint}`;
  let url: string | null =
    `${client.endpoint}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true`;
  const files: HfTreeFile[] = [];
  while (url) {
    const response = await hfFetch(client, url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw await hubError(response, what, client.token !== null);
    const body = (await response.json()) as unknown;
    if (!Array.isArray(body)) throw new Error(`${what}: the tree API answered something that is not a list`);
    for (const e of body as TreeEntry[]) {
      if (e.type !== "file" || typeof e.path !== "string") continue;
      const lfs =
        e.lfs && typeof e.lfs.oid === "string"
          ? { oid: e.lfs.oid, size: Number(e.lfs.size ?? e.size) }
          : null;
      files.push({ path: e.path, size: Number(e.size ?? 0), oid: String(e.oid ?? ""), lfs });
    }
    // Large repositories are paginated with a Link header: <url>; rel="next".
    const next = /<([^>]+)>\s*;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
    url = next ? new URL(next, url).href : null;
  }
  return files;
}
