/**
 * Builds llama.cpp's own `llama-server` once, from the llama.cpp source that node-llama-cpp bundles
 * (`node_modules/node-llama-cpp/llama/gitRelease.bundle`), so the peer benchmark compares Hangar with
 * the same llama.cpp revision. The build lives in a cache folder outside the repository
 * (`~/.cache/hangar-bench/llama-server/<release>`) and is reused by later runs.
 *
 * Run on its own (`node --import tsx bench/peer/llama-server-build.ts`) to start the build early.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const llamaDir = path.join(repoRoot, "node_modules/node-llama-cpp/llama");

/** The tag of the llama.cpp source node-llama-cpp bundles (llama.cpp.info.json). */
export function bundledRelease(): string {
  const info = JSON.parse(readFileSync(path.join(llamaDir, "llama.cpp.info.json"), "utf8")) as {
    tag?: string;
  };
  return info.tag ?? "unknown";
}

/** The benchmark cache outside the repository: HANGAR_BENCH_CACHE, else ~/.cache/hangar-bench. */
export function benchCacheDir(): string {
  return process.env.HANGAR_BENCH_CACHE ?? path.join(homedir(), ".cache/hangar-bench");
}

export function llamaServerCacheDir(): string {
  return path.join(benchCacheDir(), "llama-server", bundledRelease());
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

/** Returns the path of the llama-server binary, building it first when the cache has none. */
export async function ensureLlamaServer(log: (line: string) => void = console.log): Promise<string> {
  const dir = llamaServerCacheDir();
  const binary = path.join(dir, "build/bin/llama-server");
  if (existsSync(binary)) return binary;
  log(`building llama-server ${bundledRelease()} in ${dir} (several minutes on 2 cores)`);
  const source = path.join(dir, "src");
  if (!existsSync(path.join(source, "CMakeLists.txt"))) {
    await rm(source, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await run("git", ["clone", "--quiet", path.join(llamaDir, "gitRelease.bundle"), source], dir);
  }
  const build = path.join(dir, "build");
  // prettier-ignore
  await run("cmake", ["-S", source, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DGGML_NATIVE=ON",
    "-DLLAMA_OPENSSL=OFF", "-DLLAMA_USE_PREBUILT_UI=OFF", "-DLLAMA_BUILD_UI=OFF",
    "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_CURL=OFF"], dir);
  await run("nice", ["-n", "5", "cmake", "--build", build, "-j2", "--target", "llama-server"], dir);
  if (!existsSync(binary)) throw new Error(`the build finished but ${binary} is missing`);
  return binary;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await ensureLlamaServer());
}
