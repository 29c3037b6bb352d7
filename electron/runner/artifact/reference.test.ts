import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalReference, parseReference, pullSource, ReferenceError } from "./reference.ts";

const D = "sha256:" + "ab".repeat(32);

test("accepted forms parse to their canonical reference", () => {
  const cases: [string, string][] = [
    ["ai/gemma3:1B-Q4_K_M", "ai/gemma3:1B-Q4_K_M"],
    ["smollm2:135M-Q4_K_M", "ai/smollm2:135M-Q4_K_M"],
    ["smollm2", "ai/smollm2:latest"],
    ["SmolLM2:135M-Q4_K_M", "ai/smollm2:135M-Q4_K_M"],
    ["docker.io/ai/smollm2", "ai/smollm2:latest"],
    ["index.docker.io/someone/model:v1", "someone/model:v1"],
    ["registry-1.docker.io/ai/x:1", "ai/x:1"],
    ["127.0.0.1:5000/team/model:q8", "127.0.0.1:5000/team/model:q8"],
    ["localhost/model", "localhost/model:latest"],
    ["Registry.Example.com/A/B/C:T", "registry.example.com/a/b/c:T"],
    [`ghcr.io/org/model@${D}`, `ghcr.io/org/model@${D}`],
    [`ghcr.io/org/model:v2@${D}`, `ghcr.io/org/model:v2@${D}`],
    ["ollama.com/library/gemma3:1b", "registry.ollama.ai/library/gemma3:1b"],
    ["ollama.com/gemma3:1b", "registry.ollama.ai/library/gemma3:1b"],
    ["registry.ollama.ai/library/gemma3", "registry.ollama.ai/library/gemma3:latest"],
    ["ollama.com/someone/model:7b", "registry.ollama.ai/someone/model:7b"],
    ["hf.co/bartowski/SmolLM2-135M-Instruct-GGUF", "hf.co/bartowski/SmolLM2-135M-Instruct-GGUF"],
    [
      "hf.co/bartowski/SmolLM2-135M-Instruct-GGUF:q4_k_m",
      "hf.co/bartowski/SmolLM2-135M-Instruct-GGUF:Q4_K_M",
    ],
    ["huggingface.co/user/repo:Q8_0", "hf.co/user/repo:Q8_0"],
    ["hf.co/user/repo:latest", "hf.co/user/repo"],
    ["a__b/c.d-e:1", "a__b/c.d-e:1"],
  ];
  for (const [input, expected] of cases) assert.equal(canonicalReference(input), expected, input);
});

test("the parsed shapes carry registry, repository, tag, digest or the Hugging Face parts", () => {
  assert.deepEqual(parseReference("smollm2:135M-Q4_K_M"), {
    kind: "oci",
    registry: "docker.io",
    repository: "ai/smollm2",
    tag: "135M-Q4_K_M",
    digest: null,
  });
  assert.deepEqual(parseReference(`127.0.0.1:5000/x/y@${D}`), {
    kind: "oci",
    registry: "127.0.0.1:5000",
    repository: "x/y",
    tag: null,
    digest: D,
  });
  assert.deepEqual(parseReference("hf.co/User/Repo:iq4_xs"), {
    kind: "huggingface",
    user: "User",
    repo: "Repo",
    quant: "IQ4_XS",
  });
});

test("malformed references get an error naming what is wrong", () => {
  const bad: [string, RegExp][] = [
    ["", /empty/],
    ["   ", /empty/],
    ["ai/gemma 3", /whitespace/],
    ["https://ghcr.io/a/b", /scheme/],
    ["ai/gemma3:", /tag after ':' is empty/],
    ["ai/gemma3:-x", /tag "-x"/],
    ["ai/gemma3:a/b", /name component "gemma3:a"|tag/],
    [`ai/x@sha256:abc`, /digest "sha256:abc"/],
    ["ai/x@md5:" + "a".repeat(32), /digest/],
    ["ai//x", /empty path component/],
    ["ai/x/", /empty path component/],
    ["ai/-x", /name component "-x"/],
    ["ai/x..y", /name component "x..y"/],
    ["ai/x_-y", /name component/],
    [":tag", /name is missing/],
    ["bad_host.com:99999999/x", /not a valid registry host/],
    ["hf.co/onlyuser", /hf\.co\/<user>\/<repo>/],
    ["hf.co/a/b/c", /hf\.co\/<user>\/<repo>/],
    ["hf.co/user/-repo", /not a valid Hugging Face/],
    ["hf.co/user/repo:bad!quant", /quantization tag/],
    ["ai/" + "x".repeat(300), /longer than 255/],
    ["ai/x:" + "t".repeat(200), /tag/],
  ];
  for (const [input, message] of bad) {
    assert.throws(
      () => parseReference(input),
      (err: unknown) =>
        err instanceof ReferenceError && message.test(err.message) && err.message.includes(`"${input}"`),
      `${JSON.stringify(input)} should fail with ${message}`,
    );
  }
});

test("where a reference pulls from, said before pulling; malformed ones are refused with the reason", () => {
  assert.deepEqual(pullSource("gemma3:1b"), {
    ref: "ai/gemma3:1b",
    registry: "Docker Hub",
    address: "docker.io/ai/gemma3:1b",
  });
  assert.deepEqual(pullSource("ollama.com/gemma3:1b"), {
    ref: "registry.ollama.ai/library/gemma3:1b",
    registry: "Ollama library",
    address: "registry.ollama.ai/library/gemma3:1b",
  });
  assert.equal(pullSource("hf.co/user/repo:q8_0").registry, "Hugging Face");
  assert.equal(pullSource("127.0.0.1:5000/team/m:1").registry, "127.0.0.1:5000");
  const refused: [string, RegExp][] = [
    ["not a ref!!", /contains whitespace/],
    ["a b c", /contains whitespace/],
    ["hf.co/", /hf\.co\/<user>\/<repo>/],
    ["https://huggingface.co/foo/bar", /write hf\.co\/foo\/bar/],
    ["https://huggingface.co/foo/bar/tree/main", /write hf\.co\/foo\/bar /],
    ["notaref!!", /name component "notaref!!"/],
  ];
  for (const [input, reason] of refused) assert.throws(() => pullSource(input), reason, input);
});
