import { test } from "node:test";
import assert from "node:assert/strict";
import { ESLint } from "eslint";

const eslint = new ESLint();
async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

test("electron may be imported only under electron/main", async () => {
  const code = 'import { app } from "electron";\nexport const x = app;\n';
  for (const file of [
    "electron/runner/x.ts",
    "electron/cli/x.ts",
    "electron/contract/x.ts",
    "renderer/src/x.ts",
  ]) {
    assert.equal((await restrictedImports(file, code)).length, 1, file);
  }
  assert.deepEqual(await restrictedImports("electron/main/x.ts", code), []);
});

test("the renderer imports only electron/contract, and no Node modules", async () => {
  const runner = 'import { VERSION } from "../../electron/runner/version.ts";\nexport const x = VERSION;\n';
  const node = 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n';
  const contract = 'import { ok } from "../../electron/contract/index.ts";\nexport const x = ok;\n';
  assert.equal((await restrictedImports("renderer/src/x.ts", runner)).length, 1);
  assert.equal((await restrictedImports("renderer/src/x.ts", node)).length, 1);
  assert.deepEqual(await restrictedImports("renderer/src/x.ts", contract), []);
});

test("runner and CLI never import the renderer", async () => {
  const code = 'import { App } from "../../renderer/src/app/App.tsx";\nexport const x = App;\n';
  assert.equal((await restrictedImports("electron/runner/x.ts", code)).length, 1);
  assert.equal((await restrictedImports("electron/cli/x.ts", code)).length, 1);
});

test("the store never imports distribution; distribution imports the store", async () => {
  const pull = 'import { pullModel } from "../distribution/pull.ts";\nexport const x = pullModel;\n';
  const blobs = 'import { BlobStore } from "../store/blob-store.ts";\nexport const x = BlobStore;\n';
  assert.equal((await restrictedImports("electron/runner/store/x.ts", pull)).length, 1);
  assert.deepEqual(await restrictedImports("electron/runner/distribution/x.ts", blobs), []);
  const renderer = 'import { App } from "../../../renderer/src/app/App.tsx";\nexport const x = App;\n';
  assert.equal((await restrictedImports("electron/runner/store/x.ts", renderer)).length, 1);
});

test("only tests, specs and benchmarks import the test kit", async () => {
  const kit = (depth: number) =>
    `import { startTestRunner } from "${"../".repeat(depth)}testkit/runner.ts";\nexport const x = startTestRunner;\n`;
  for (const [file, depth] of [
    ["electron/runner/http/x.ts", 3],
    ["electron/cli/x.ts", 2],
    ["electron/contract/x.ts", 2],
    ["electron/main/x.ts", 2],
    ["renderer/src/x.ts", 2],
    ["renderer/src/features/chat/x.tsx", 3],
    ["bin/x.ts", 1],
  ] as const) {
    assert.deepEqual(
      (await restrictedImports(file, kit(depth))).filter((m) => m.includes("testkit")).length,
      1,
      file,
    );
  }
  for (const [file, depth] of [
    ["electron/runner/http/x.test.ts", 3],
    ["electron/main/x.test.ts", 2],
    ["renderer/src/app/x.test.ts", 3],
    ["e2e/x.spec.ts", 1],
    ["bench/x.ts", 1],
    ["testkit/x.ts", 1],
  ] as const) {
    assert.deepEqual(await restrictedImports(file, kit(depth)), [], file);
  }
});

test("tests keep their layer's other rules", async () => {
  const code = 'import { App } from "../../renderer/src/app/App.tsx";\nexport const x = App;\n';
  assert.equal((await restrictedImports("electron/runner/x.test.ts", code)).length, 1);
  const runner = 'import { VERSION } from "../runner/version.ts";\nexport const x = VERSION;\n';
  assert.equal((await restrictedImports("electron/contract/x.test.ts", runner)).length, 1);
  // The contract's tests run in Node: node:test is theirs to use, not the contract's.
  const node = 'import { test } from "node:test";\nexport const x = test;\n';
  assert.deepEqual(await restrictedImports("electron/contract/x.test.ts", node), []);
  assert.equal((await restrictedImports("electron/contract/x.ts", node)).length, 1);
});

test("renderer/src/shared imports neither the app shell nor a feature", async () => {
  const feature = 'import { useChat } from "../../features/chat/use-chat.ts";\nexport const x = useChat;\n';
  const app = 'import { useApp } from "../app/StoresContext.tsx";\nexport const x = useApp;\n';
  const node = 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n';
  assert.equal((await restrictedImports("renderer/src/shared/bridge/x.ts", feature)).length, 1);
  assert.equal((await restrictedImports("renderer/src/shared/x.ts", app)).length, 1);
  assert.equal((await restrictedImports("renderer/src/shared/x.ts", node)).length, 1);
  assert.deepEqual(await restrictedImports("renderer/src/features/chat/x.ts", app), []);
});

test("only the inference worker (electron/runner/engine/worker/) imports node-llama-cpp", async () => {
  const code = 'import { getLlama } from "node-llama-cpp";\nexport const x = getLlama;\n';
  for (const file of [
    "electron/runner/engine/scheduler.ts",
    "electron/runner/engine/x.test.ts",
    "electron/runner/http/x.ts",
    "electron/runner/store/x.ts",
    "electron/cli/x.ts",
    "electron/contract/x.ts",
    "electron/main/x.ts",
  ]) {
    assert.equal((await restrictedImports(file, code)).length, 1, file);
  }
  for (const file of ["electron/runner/engine/worker/x.ts", "electron/runner/engine/worker/x.test.ts"]) {
    assert.deepEqual(await restrictedImports(file, code), [], file);
  }
});
