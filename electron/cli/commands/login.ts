import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import type { Command } from "../command.ts";
import { saveCredentials } from "../../runner/distribution/registry/credentials.ts";
import { OciClient } from "../../runner/distribution/registry/oci-client.ts";
import { parseReference, DOCKER_HUB } from "../../runner/artifact/reference.ts";

/** "docker.io", "ghcr.io", "127.0.0.1:5000": the host part of what users type. */
export function registryHost(input: string | undefined): string {
  if (!input) return DOCKER_HUB;
  const host = input.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (/^(hf\.co|(www\.)?huggingface\.co)$/i.test(host))
    throw new Error("Hugging Face uses HF_TOKEN, not hangar login");
  const ref = parseReference(`${host}/x/y`);
  if (ref.kind !== "oci") throw new Error(`"${input}" is not a registry host`);
  return ref.registry;
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, "");
}

export const login: Command = {
  name: "login",
  usage: "login [REGISTRY] -u USER [--password-stdin]   store registry credentials (checked first)",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { username: { type: "string", short: "u" }, "password-stdin": { type: "boolean" } },
    });
    const host = registryHost(positionals[0]);
    let username = values.username;
    let password: string;
    if (values["password-stdin"]) {
      if (!username) throw new Error("--password-stdin needs -u USER");
      password = await readStdin();
    } else {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        username ??= await rl.question("Username: ");
        password = await rl.question("Password: ");
      } finally {
        rl.close();
      }
    }
    if (!username || !password) throw new Error("a username and a password are needed");
    // Check the credentials against the registry before saving them.
    const client = new OciClient({ registry: host, credentials: { username, password } });
    const res = await client.request("GET", "/v2/", { what: host });
    await res.body?.cancel();
    if (res.status === 401) throw new Error(`${host} refused the credentials for ${username}`);
    await saveCredentials(host, { username, password });
    console.log(`logged in to ${host} as ${username}`);
    return 0;
  },
};

export const logout: Command = {
  name: "logout",
  usage: "logout [REGISTRY]             forget stored registry credentials",
  async run(argv) {
    const host = registryHost(argv[0]);
    const existed = await saveCredentials(host, null);
    console.log(existed ? `logged out of ${host}` : `no credentials stored for ${host}`);
    return 0;
  },
};
