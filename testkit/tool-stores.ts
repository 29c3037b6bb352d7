/**
 * Fake model folders of other tools, built in a temporary HOME from generated GGUF files, laid out as
 * each tool writes them: Ollama manifests and `sha256-<hex>` blobs, a Hugging Face hub cache with real
 * symlinks from snapshots into blobs, LM Studio publisher/repo folders, llama.cpp's flat cache, Docker
 * Model Runner's store and Jan's data folder.
 */
import { createHash } from "node:crypto";
import { copyFile, lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

async function put(path: string, data: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}

/** Default roots under a fake HOME, as the tools use them on Linux. */
export function toolRoots(home: string) {
  return {
    ollama: join(home, ".ollama", "models"),
    lmstudio: join(home, ".lmstudio", "models"),
    hfHub: join(home, ".cache", "huggingface", "hub"),
    llamaCpp: join(home, ".cache", "llama.cpp"),
    dockerModels: join(home, ".docker", "models"),
    jan: join(home, ".local", "share", "Jan", "data"),
  };
}

export interface OllamaModelInput {
  /** "library/gemma3" or "<user>/<name>"; the registry folder is registry.ollama.ai unless given. */
  name: string;
  tag: string;
  gguf: string;
  registry?: string;
  projector?: string;
  params?: Record<string, unknown>;
  system?: string;
}

/** Writes an Ollama model (blobs and manifest) and returns the manifest's layer digests. */
export async function writeOllamaModel(root: string, m: OllamaModelInput): Promise<{ modelDigest: string }> {
  const layers: { mediaType: string; digest: string; size: number }[] = [];
  const blob = async (mediaType: string, data: Buffer) => {
    const digest = `sha256:${sha256(data)}`;
    await put(join(root, "blobs", digest.replace(":", "-")), data);
    return { mediaType, digest, size: data.length };
  };
  const weights = await blob("application/vnd.ollama.image.model", await readFile(m.gguf));
  layers.push(weights);
  if (m.projector)
    layers.push(await blob("application/vnd.ollama.image.projector", await readFile(m.projector)));
  if (m.params)
    layers.push(await blob("application/vnd.ollama.image.params", Buffer.from(JSON.stringify(m.params))));
  if (m.system) layers.push(await blob("application/vnd.ollama.image.system", Buffer.from(m.system)));
  const config = await blob(
    "application/vnd.docker.container.image.v1+json",
    Buffer.from(
      JSON.stringify({ model_format: "gguf", model_family: "llama", model_type: "1M", file_type: "F16" }),
    ),
  );
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config,
    layers,
  };
  await put(
    join(root, "manifests", m.registry ?? "registry.ollama.ai", ...m.name.split("/"), m.tag),
    JSON.stringify(manifest),
  );
  return { modelDigest: weights.digest };
}

/**
 * Writes files into a Hugging Face hub cache repo: the content under `blobs/<sha256>`, and
 * `snapshots/<rev>/<name>` as a relative symlink to it, as huggingface_hub does.
 */
export async function writeHfCacheRepo(
  hub: string,
  org: string,
  repo: string,
  files: Record<string, string>,
  revision = "0123456789abcdef0123456789abcdef01234567",
): Promise<void> {
  const dir = join(hub, `models--${org}--${repo}`);
  for (const [name, source] of Object.entries(files)) {
    const data = await readFile(source);
    const hex = sha256(data);
    await put(join(dir, "blobs", hex), data);
    const link = join(dir, "snapshots", revision, name);
    await mkdir(dirname(link), { recursive: true });
    const depth = name.split("/").length + 1;
    await symlink(join(...Array<string>(depth).fill(".."), "blobs", hex), link);
  }
  await put(join(dir, "refs", "main"), revision);
}

/** Copies files into `<root>/<publisher>/<repo>/` as LM Studio downloads them. */
export async function writeLmStudioModel(
  root: string,
  publisher: string,
  repo: string,
  files: Record<string, string>,
): Promise<void> {
  for (const [name, source] of Object.entries(files)) {
    await mkdir(join(root, publisher, repo), { recursive: true });
    await copyFile(source, join(root, publisher, repo, name));
  }
}

/** A `llama-server -hf org/repo:tag` download: `<org>_<repo>_<file>` and its manifest. */
export async function writeLlamaCppCacheModel(
  root: string,
  org: string,
  repo: string,
  file: string,
  source: string,
  tag = "latest",
): Promise<void> {
  await mkdir(root, { recursive: true });
  await copyFile(source, join(root, `${org}_${repo}_${file}`));
  await put(
    join(root, `manifest=${org}=${repo}=${tag}.json`),
    JSON.stringify({ ggufFile: { rfilename: file } }),
  );
}

/** A Docker Model Runner store with one model artifact under `tag`. */
export async function writeDockerModelRunnerModel(root: string, tag: string, gguf: string): Promise<void> {
  const blob = async (data: Buffer | string) => {
    const hex = sha256(data);
    await put(join(root, "blobs", "sha256", hex), data);
    return { digest: `sha256:${hex}`, size: Buffer.byteLength(data) };
  };
  const weights = await blob(await readFile(gguf));
  const config = await blob(
    JSON.stringify({
      config: { format: "gguf", architecture: "llama" },
      rootfs: { type: "layers", diff_ids: [weights.digest] },
    }),
  );
  const manifestText = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.docker.ai.model.config.v0.1+json", ...config },
    layers: [{ mediaType: "application/vnd.docker.ai.gguf.v3", ...weights }],
  });
  const id = `sha256:${sha256(manifestText)}`;
  await put(join(root, "manifests", "sha256", sha256(manifestText)), manifestText);
  await put(
    join(root, "models.json"),
    JSON.stringify({ models: [{ id, tags: [tag], files: [weights.digest, config.digest] }] }),
  );
}

/** A Jan model: `<data>/llamacpp/models/<id>/model.gguf` with its model.yml. */
export async function writeJanModel(data: string, id: string, gguf: string): Promise<void> {
  const dir = join(data, "llamacpp", "models", id);
  await mkdir(dir, { recursive: true });
  await copyFile(gguf, join(dir, "model.gguf"));
  await put(join(dir, "model.yml"), `model_path: llamacpp/models/${id}/model.gguf\nname: ${id}\n`);
}

/** Every file under a folder with its size, time and sha256 (links: their target): to check nothing was written. */
export async function folderSnapshot(
  dir: string,
  out: Record<string, string> = {},
): Promise<Record<string, string>> {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await folderSnapshot(path, out);
    else {
      const st = await lstat(path);
      const body = e.isSymbolicLink() ? await readlink(path) : await readFile(path);
      out[path] = `${st.size} ${st.mtimeMs} ${sha256(body)}`;
    }
  }
  return out;
}
