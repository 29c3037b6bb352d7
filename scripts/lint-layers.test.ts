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
  const code = 'import { App } from "../../renderer/src/App.tsx";\nexport const x = App;\n';
  assert.equal((await restrictedImports("electron/runner/x.ts", code)).length, 1);
  assert.equal((await restrictedImports("electron/cli/x.ts", code)).length, 1);
});

test("the store never imports distribution; distribution imports the store", async () => {
  const pull = 'import { pullModel } from "../distribution/pull.ts";\nexport const x = pullModel;\n';
  const blobs = 'import { BlobStore } from "../store/blob-store.ts";\nexport const x = BlobStore;\n';
  assert.equal((await restrictedImports("electron/runner/store/x.ts", pull)).length, 1);
  assert.deepEqual(await restrictedImports("electron/runner/distribution/x.ts", blobs), []);
  const renderer = 'import { App } from "../../../renderer/src/App.tsx";\nexport const x = App;\n';
  assert.equal((await restrictedImports("electron/runner/store/x.ts", renderer)).length, 1);
});
