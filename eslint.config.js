// Lint guards the layers in docs/ARCHITECTURE.md: only electron/main may import Electron; the renderer speaks to the
// rest of the app through electron/contract alone; runner and CLI never reach into the renderer; product
// code never imports the test kit (testkit/), only tests (*.test.ts) do; only the inference worker process
// (electron/runner/engine/worker/) loads node-llama-cpp.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const electronOnlyInMain = {
  name: "electron",
  message: "Only electron/main may import Electron: everything else runs in plain Node and in tests.",
};
const llamaOnlyInWorker = {
  name: "node-llama-cpp",
  message:
    "Only electron/runner/engine/worker/ may import node-llama-cpp: it runs in the inference worker process.",
};
const notRendererOrShell = {
  group: ["**/renderer/**", "**/electron/main/**", "../main/**"],
  message: "runner, CLI and contract never import the renderer or the Electron shell.",
};
const contractDependsOnNothing = {
  group: ["**/runner/**", "**/cli/**", "**/main/**", "**/renderer/**"],
  message: "electron/contract depends on nothing.",
};
const nodeBuiltins = [
  "node:*",
  "fs",
  "path",
  "os",
  "child_process",
  "crypto",
  "http",
  "net",
  "stream",
  "url",
  "worker_threads",
];

const rendererPatterns = [
  { group: nodeBuiltins, message: "The renderer runs in a browser: no Node modules." },
  {
    group: ["**/electron/runner/**", "**/electron/cli/**", "**/electron/main/**"],
    message: "The renderer imports only electron/contract; it reaches the runner through a Bridge.",
  },
];
const testkitOnlyInTests = {
  group: ["**/testkit/**"],
  message: "testkit/ is for tests, e2e specs and benchmarks: product code never imports it.",
};
const testFiles = ["**/*.test.ts", "**/*.test.tsx"];

/**
 * One layer's import rules: its product files get them plus the test-kit ban; its tests get them alone
 * (or `testPatterns`). Flat config replaces a rule's options per block rather than merging them, hence
 * the two blocks.
 */
function layer(
  files,
  { patterns = [], testPatterns = patterns, paths = [electronOnlyInMain, llamaOnlyInWorker], ...rest } = {},
) {
  const options = (extra, base = patterns) => ({
    paths,
    patterns: [...base, ...extra],
  });
  return [
    {
      files,
      ignores: testFiles,
      ...rest,
      rules: { "no-restricted-imports": ["error", options([testkitOnlyInTests])] },
    },
    {
      files: files.map((f) => [f, "**/*.test.{ts,tsx}"]),
      rules: { "no-restricted-imports": ["error", options([], testPatterns)] },
    },
  ];
}

export default tseslint.config(
  { ignores: ["node_modules", "dist", "release", "e2e/screenshots", "bench/results"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { paths: [electronOnlyInMain] }],
    },
  },
  ...layer(["bin/**"]),
  ...layer(["electron/runner/**", "electron/cli/**"], { patterns: [notRendererOrShell] }),
  // The inference worker process is the one place node-llama-cpp runs.
  ...layer(["electron/runner/engine/worker/**"], {
    patterns: [notRendererOrShell],
    paths: [electronOnlyInMain],
  }),
  // The store is storage only; distribution (registries, pulls, push, packaging, blob transfer) sits
  // above it and receives the store. Tests may use both: they put models in a store to test it.
  ...layer(["electron/runner/store/**"], {
    patterns: [
      notRendererOrShell,
      {
        group: ["**/distribution/**", "**/distribution"],
        message: "store/ is storage only: distribution imports the store, never the other way.",
      },
    ],
    testPatterns: [notRendererOrShell],
  }),
  // The contract's tests run in Node (node:test); the contract itself may not.
  ...layer(["electron/contract/**"], {
    patterns: [
      { group: nodeBuiltins, message: "electron/contract is plain TypeScript: no Node." },
      contractDependsOnNothing,
    ],
    testPatterns: [contractDependsOnNothing],
  }),
  // The Electron shell may import anything but the test kit and node-llama-cpp.
  {
    files: ["electron/main/**"],
    ignores: testFiles,
    rules: {
      "no-restricted-imports": ["error", { paths: [llamaOnlyInWorker], patterns: [testkitOnlyInTests] }],
    },
  },
  { files: [["electron/main/**", "**/*.test.{ts,tsx}"]], rules: { "no-restricted-imports": "off" } },
  {
    files: ["renderer/**"],
    ignores: ["renderer/vite.config.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...layer(["renderer/**"], { patterns: rendererPatterns }),
  // renderer/src is app/ (the shell, and the one place stores are created), features/<name>/ and
  // shared/; shared/ is what features build on, so it knows none of them.
  ...layer(["renderer/src/shared/**"], {
    patterns: [
      ...rendererPatterns,
      {
        group: ["**/app/**", "**/features/**", "../../app/*", "../app/*", "../features/*"],
        message: "renderer/src/shared imports neither the app shell nor a feature.",
      },
    ],
  }),
  {
    files: ["renderer/vite.config.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [electronOnlyInMain], patterns: [testkitOnlyInTests] }],
    },
  },
);
