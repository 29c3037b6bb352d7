// Lint guards the layers in DESIGN.md: only electron/main may import Electron; the renderer speaks to the
// rest of the app through electron/contract alone; runner and CLI never reach into the renderer.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const electronOnlyInMain = {
  name: "electron",
  message: "Only electron/main may import Electron: everything else runs in plain Node and in tests.",
};
const notRendererOrShell = {
  group: ["**/renderer/**", "**/electron/main/**", "../main/**"],
  message: "runner, CLI and contract never import the renderer or the Electron shell.",
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
  {
    files: ["electron/runner/**", "electron/cli/**", "electron/contract/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [electronOnlyInMain],
          patterns: [notRendererOrShell],
        },
      ],
    },
  },
  {
    // The store is storage only; distribution (registries, pulls, push, packaging, blob transfer) sits
    // above it and receives the store. Tests may use both: they put models in a store to test it.
    files: ["electron/runner/store/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [electronOnlyInMain],
          patterns: [
            notRendererOrShell,
            {
              group: ["**/distribution/**", "**/distribution"],
              message: "store/ is storage only: distribution imports the store, never the other way.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["electron/contract/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [electronOnlyInMain],
          patterns: [
            { group: nodeBuiltins, message: "electron/contract is plain TypeScript: no Node." },
            {
              group: ["**/runner/**", "**/cli/**", "**/main/**", "**/renderer/**"],
              message: "electron/contract depends on nothing.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["electron/main/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["renderer/**"],
    ignores: ["renderer/vite.config.ts"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [electronOnlyInMain],
          patterns: [
            { group: nodeBuiltins, message: "The renderer runs in a browser: no Node modules." },
            {
              group: ["**/electron/runner/**", "**/electron/cli/**", "**/electron/main/**"],
              message: "The renderer imports only electron/contract; it reaches the runner through a Bridge.",
            },
          ],
        },
      ],
    },
  },
);
