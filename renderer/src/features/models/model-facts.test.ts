// Tests run under node:test; the no-Node rule is for code that ships to the browser.
/* eslint-disable no-restricted-imports */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ModelDetails, ModelSummary } from "../../../../electron/contract/index.ts";
import { modelFacts } from "./model-facts.ts";

const model: ModelSummary = {
  ref: "ai/smollm2:135M-Q4_K_M",
  digest: "sha256:0",
  format: "gguf",
  size: 105_000_000,
  architecture: "llama",
  quantization: "Q4_K_M",
  parameters: "135M",
  contextLength: 8192,
  source: "registry-1.docker.io",
  createdAt: "2026-01-01T00:00:00Z",
  lastUsedAt: null,
  loaded: false,
};
const details = (patch: Partial<ModelDetails>): ModelDetails => ({
  model,
  metadata: {},
  files: [],
  chatTemplate: null,
  license: null,
  systemPrompt: null,
  ...patch,
});
const facts = (d: ModelDetails) => Object.fromEntries(modelFacts(d).map((f) => [f.label, f.value]));

test("the summary reads the model's own facts first", () => {
  assert.deepEqual(facts(details({ metadata: { "general.license": "apache-2.0" } })), {
    Architecture: "llama",
    Parameters: "135M",
    Quantization: "Q4_K_M",
    "Context length": "8,192 tokens",
    Size: "105 MB",
    License: "apache-2.0",
  });
});

test("missing facts come from the GGUF header, else say unknown; a license text gives its first line", () => {
  const bare = { ...model, architecture: null, parameters: null, contextLength: null, quantization: null };
  assert.deepEqual(
    facts(
      details({
        model: bare,
        metadata: {
          "general.architecture": "qwen3",
          "general.parameter_count": 1_720_000_000,
          "qwen3.context_length": 40960,
        },
        license: "\n  MIT License\n\nCopyright…",
      }),
    ),
    {
      Architecture: "qwen3",
      Parameters: "1.7B",
      Quantization: "unknown",
      "Context length": "40,960 tokens",
      Size: "105 MB",
      License: "MIT License",
    },
  );
  assert.equal(facts(details({ model: bare })).Architecture, "unknown");
  assert.equal(facts(details({ model: bare })).License, "not stated");
  assert.equal(facts(details({ license: "x".repeat(200) })).License, "see below");
});
