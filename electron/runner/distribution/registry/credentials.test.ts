import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCredentialHelper } from "../../../../testkit/credential-helper.ts";
import { loadCredentials, saveCredentials } from "./credentials.ts";

async function withConfig(
  config: object,
  fn: (env: NodeJS.ProcessEnv, bin: string) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "hangar-creds-"));
  try {
    const bin = join(dir, "bin");
    await mkdir(bin);
    await mkdir(join(dir, "docker"));
    await writeFile(join(dir, "docker", "config.json"), JSON.stringify(config));
    const env = {
      HANGAR_HOME: join(dir, "hangar"),
      DOCKER_CONFIG: join(dir, "docker"),
      PATH: `${bin}:${process.env.PATH}`,
    };
    await writeCredentialHelper(bin, "store", {
      "registry.example:5000": { username: "from-store", secret: "s1" },
      "https://index.docker.io/v1/": { username: "hub-user", secret: "hub-secret" },
    });
    await writeCredentialHelper(bin, "special", {
      "special.example": { username: "from-special", secret: "s2" },
    });
    await fn(env, bin);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const basic = (user: string, pass: string) => ({ auth: Buffer.from(`${user}:${pass}`).toString("base64") });

test("credsStore: the helper is asked with the registry's host (Docker Hub's legacy URL)", () =>
  withConfig({ credsStore: "store", auths: { "registry.example:5000": {} } }, async (env, bin) => {
    assert.deepEqual(await loadCredentials("registry.example:5000", env), {
      username: "from-store",
      password: "s1",
    });
    assert.deepEqual(await loadCredentials("docker.io", env), {
      username: "hub-user",
      password: "hub-secret",
    });
    assert.equal(await loadCredentials("elsewhere.example", env), null);
    assert.deepEqual((await readFile(join(bin, "store.asked"), "utf8")).trim().split("\n"), [
      "registry.example:5000",
      "https://index.docker.io/v1/",
      "elsewhere.example",
    ]);
  }));

test("credHelpers win over credsStore for their registry; auths is the fallback", () =>
  withConfig(
    {
      credsStore: "store",
      credHelpers: { "special.example": "special" },
      auths: { "plain.example": basic("plain", "p") },
    },
    async (env) => {
      assert.deepEqual(await loadCredentials("special.example", env), {
        username: "from-special",
        password: "s2",
      });
      assert.deepEqual(await loadCredentials("plain.example", env), { username: "plain", password: "p" });
    },
  ));

test("a helper that is not installed is skipped; hangar login's credentials come first", () =>
  withConfig({ credsStore: "missing", auths: { "plain.example": basic("plain", "p") } }, async (env) => {
    assert.deepEqual(await loadCredentials("plain.example", env), { username: "plain", password: "p" });
    await saveCredentials("plain.example", { username: "mine", password: "m" }, env);
    assert.deepEqual(await loadCredentials("plain.example", env), { username: "mine", password: "m" });
  }));
