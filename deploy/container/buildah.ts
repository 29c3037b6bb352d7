/**
 * What the container test needs from buildah: why it cannot run here (if so), a base image (the public
 * Node.js image, else a local stand-in from make-local-base.sh), building the Containerfile, and
 * commands inside a working container with `--isolation chroot` (`podman run` is refused on machines
 * whose sandbox denies its setrlimit; chroot isolation shares the host's network, so a runner inside
 * listens on this machine's ports).
 */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");
export const PUBLIC_BASE = "docker.io/library/node:20-bookworm-slim";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws for a non-zero exit (the caller asserts on it). */
export function runCommand(
  command: string,
  args: string[],
  options: { timeoutMs?: number; onOutput?: (chunk: string) => void } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      options.onOutput?.(d.toString());
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      options.onOutput?.(d.toString());
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Null when the container test can run on this machine, else the reason it cannot. */
export function whyContainerTestCannotRun(): string | null {
  const has = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
  if (!has("buildah")) return "buildah is not installed (apt-get install buildah)";
  if (process.getuid?.() !== 0)
    return "not root: the test gives /data to the image's user (uid 10001) and runs buildah as root";
  const info = spawnSync("buildah", ["info"], { encoding: "utf8" });
  if (info.status !== 0) return `buildah cannot run here: ${info.stderr.trim().split("\n").at(-1)}`;
  return null;
}

/**
 * The image to build on: HANGAR_CONTAINER_BASE if set, else the public Node.js image when it can be
 * pulled, else the local stand-in (needs mmdebstrap the first time; cached after).
 */
export async function baseImage(log: (line: string) => void): Promise<string> {
  const chosen = process.env.HANGAR_CONTAINER_BASE;
  if (chosen) return chosen;
  const present = await runCommand("buildah", ["inspect", "--type", "image", PUBLIC_BASE]);
  if (present.code === 0) return PUBLIC_BASE;
  const pulled = await runCommand("buildah", ["pull", "--quiet", PUBLIC_BASE], { timeoutMs: 180_000 });
  if (pulled.code === 0) return PUBLIC_BASE;
  log(`cannot pull ${PUBLIC_BASE} (${pulled.stderr.trim().split("\n").at(-1)}); using a local base`);
  const made = await runCommand(join(REPO_ROOT, "deploy/container/make-local-base.sh"), []);
  if (made.code !== 0) throw new Error(`make-local-base.sh failed:\n${made.stderr}`);
  return made.stdout.trim().split("\n").at(-1)!;
}

export async function buildImage(base: string, tag: string, log: (line: string) => void): Promise<void> {
  let output = "";
  const built = await runCommand(
    "buildah",
    [
      "build",
      "--isolation",
      "chroot",
      "--layers",
      "--format",
      "docker",
      "--build-arg",
      `NODE_IMAGE=${base}`,
      "-f",
      "Containerfile",
      "-t",
      tag,
      ".",
    ],
    { onOutput: (chunk) => (output += chunk) },
  );
  for (const line of output.split("\n")) if (/^\[\d\/\d\] STEP/.test(line)) log(line.slice(0, 120));
  if (built.code !== 0) throw new Error(`buildah build failed (${built.code}):\n${output.slice(-4000)}`);
}

/** Options for `buildah run` inside working container `ctr`: env, volumes. */
export function runArgs(ctr: string, env: Record<string, string>, volumes: string[], command: string[]) {
  return [
    "run",
    "--isolation",
    "chroot",
    ...Object.entries(env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
    ...volumes.flatMap((v) => ["--volume", v]),
    ctr,
    "--",
    ...command,
  ];
}
