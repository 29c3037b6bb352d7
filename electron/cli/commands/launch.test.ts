// `hangar launch` against a real runner. The agents themselves cannot be installed here, so a stand-in
// `claude` on PATH uses the Anthropic SDK with exactly the environment launch gives it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { startTestRunner, TINY_MODEL, type TestRunner } from "../../../testkit/runner.ts";
import { launchAgent } from "./launch.ts";

const KEY = "launch-key-123";
let t: TestRunner;
let bin: string;
before(async () => {
  t = await startTestRunner({ apiKeys: [KEY] });
  bin = await mkdtemp(join(tmpdir(), "hangar-launch-"));
});
after(async () => {
  await t?.close();
  await rm(bin, { recursive: true, force: true });
});

async function captured(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    return { code: await run(), out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

const env = (path: string) => ({ HANGAR_URL: t.url, HANGAR_API_KEY: KEY, PATH: path, HOME: bin });

test("claude: launched with the runner's URL, key and model; it can talk to the runner", async () => {
  const sdk = pathToFileURL(join(process.cwd(), "node_modules/@anthropic-ai/sdk/index.mjs")).href;
  const report = join(bin, "claude-report.json");
  await writeFile(
    join(bin, "claude"),
    `#!/usr/bin/env node
import Anthropic from ${JSON.stringify(sdk)};
import { writeFileSync } from "node:fs";
const client = new Anthropic({ maxRetries: 0 });
const reply = await client.messages.create({
  model: process.env.ANTHROPIC_MODEL,
  max_tokens: 2,
  messages: [{ role: "user", content: "hi" }],
});
writeFileSync(${JSON.stringify(report)}, JSON.stringify({ args: process.argv.slice(2), type: reply.type, apiKey: process.env.ANTHROPIC_API_KEY }));
`,
  );
  await chmod(join(bin, "claude"), 0o755);
  const { code, out } = await captured(() =>
    launchAgent(["claude", "--", "--print", "hello"], env(`${bin}${delimiter}${dirname(process.execPath)}`)),
  );
  assert.equal(code, 0, out);
  const seen = JSON.parse(await readFile(report, "utf8")) as { args: string[]; type: string; apiKey: string };
  assert.deepEqual(seen.args, ["--model", TINY_MODEL, "--print", "hello"]);
  assert.equal(seen.type, "message", "the agent's request reached the runner with the key");
  assert.equal(seen.apiKey, "", "a real Anthropic key is not passed on");
});

test("an agent that is not installed: the environment to set is printed", async () => {
  const { code, out } = await captured(() => launchAgent(["codex", "--model", TINY_MODEL], env(bin)));
  assert.equal(code, 1);
  assert.match(out, /codex is not installed/);
  assert.match(out, new RegExp(`export OPENAI_BASE_URL='${t.url}/v1'`));
  assert.match(out, /wire_api = "responses"/);
  const opencode = await captured(() => launchAgent(["opencode"], env(bin)));
  assert.match(opencode.out, /OPENCODE_CONFIG_CONTENT=.*"model":"hangar\/local\/tiny:1"/);
});

test("an unknown model or agent is refused with a message", async () => {
  await assert.rejects(
    launchAgent(["claude", "--model", "absent/model:1"], env(bin)),
    /hangar pull absent\/model:1/,
  );
  assert.equal(await launchAgent(["vim"], env(bin)), 2);
});
