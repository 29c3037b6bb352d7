/**
 * Registry credentials: Hangar's own file (`$HANGAR_HOME/credentials.json`, written by `hangar login`) and
 * then the ones users already have in `~/.docker/config.json`, in Docker's order: the registry's entry in
 * `credHelpers`, else the `credsStore` helper (Docker Desktop's keychain), else `auths[host].auth`
 * (base64 "user:pass").
 */
import { readFile, mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { hangarHome } from "../../paths.ts";
import { writeFileAtomic } from "../../fs/atomic-file.ts";
import { DOCKER_HUB } from "../../artifact/reference.ts";
import { credentialsFromHelper } from "./credential-helper.ts";

export interface Credentials {
  username: string;
  password: string;
}

interface AuthFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

export function hangarCredentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(hangarHome(env), "credentials.json");
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker"), "config.json");
}

/** The keys a host may be stored under (Docker Hub's is a legacy URL). */
function hostKeys(registry: string): string[] {
  if (registry === DOCKER_HUB)
    return [
      "https://index.docker.io/v1/",
      "index.docker.io",
      "docker.io",
      "registry-1.docker.io",
      "https://index.docker.io/v1",
    ];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`];
}

async function readAuthFile(path: string): Promise<AuthFile> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as AuthFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`cannot read credentials from ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function decode(entry: { auth?: string; username?: string; password?: string }): Credentials | null {
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  if (!entry.auth) return null;
  const text = Buffer.from(entry.auth, "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon === -1 ? null : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

export async function loadCredentials(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials | null> {
  const fromFile = (file: AuthFile) => {
    const auths = file.auths ?? {};
    for (const key of hostKeys(registry)) {
      const entry = auths[key];
      const creds = entry ? decode(entry) : null;
      if (creds) return creds;
    }
    return null;
  };
  const own = fromFile(await readAuthFile(hangarCredentialsPath(env)));
  if (own) return own;
  const docker = await readAuthFile(dockerConfigPath(env));
  const keys = hostKeys(registry);
  const helper = keys.map((k) => docker.credHelpers?.[k]).find(Boolean) ?? docker.credsStore;
  if (helper) {
    // Helpers store Docker Hub under its legacy URL and other registries under their host name.
    const creds = await credentialsFromHelper(helper, keys[0]!, env);
    if (creds) return creds;
  }
  return fromFile(docker);
}

/** Saves (or with null, removes) credentials for a registry in Hangar's credentials file (mode 0600). */
export async function saveCredentials(
  registry: string,
  creds: Credentials | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const path = hangarCredentialsPath(env);
  const file = await readAuthFile(path);
  const auths = file.auths ?? {};
  const existed = hostKeys(registry).some((k) => k in auths);
  for (const key of hostKeys(registry)) delete auths[key];
  if (creds)
    auths[registry] = { auth: Buffer.from(`${creds.username}:${creds.password}`).toString("base64") };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, JSON.stringify({ ...file, auths }, null, 2) + "\n", 0o600);
  return existed;
}
