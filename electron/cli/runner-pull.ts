/**
 * `hangar pull` through a running runner: the pull joins the runner's pull queue (POST /api/pull), so
 * the app lists it with pause, resume and cancel like a pull started there, and the model lands in the
 * store the runner serves.
 */
import type { PullProgress } from "../runner/models.ts";
import { canonicalReference } from "../runner/artifact/reference.ts";
import { ProgressMeter } from "../runner/distribution/transfer/progress-meter.ts";
import { lines, type RunnerClient } from "./runner-client.ts";

/** Whether a Hangar runner answers at the client's address (not another server on that port). */
export async function runnerAnswers(client: RunnerClient): Promise<boolean> {
  try {
    const res = await client.request("/health", { signal: AbortSignal.timeout(1500) });
    if (!res.ok) return false;
    const body = (await res.json()) as { status?: unknown; version?: unknown };
    return body.status === "ok" && typeof body.version === "string";
  } catch {
    return false;
  }
}

interface PullLine {
  status?: string;
  error?: string;
  total?: number;
  completed?: number;
}

export async function pullThroughRunner(
  client: RunnerClient,
  input: string,
  options: { signal?: AbortSignal; onProgress?: (p: PullProgress) => void } = {},
): Promise<{ ref: string; digest: string; size: number }> {
  const ref = canonicalReference(input);
  const res = await client.request("/api/pull", {
    method: "POST",
    body: JSON.stringify({ model: input }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string | { message?: string } } | null;
    const e = body?.error;
    throw new Error(typeof e === "string" ? e : (e?.message ?? `${res.status} ${res.statusText}`));
  }
  // The API streams bytes done and total; speed and time left are measured here, as a local pull does.
  let meter: ProgressMeter | null = null;
  const emit = (phase: PullProgress["phase"], message?: string) =>
    options.onProgress?.({
      ref,
      phase,
      completedBytes: meter?.completed ?? 0,
      totalBytes: meter?.total ?? 0,
      bytesPerSecond: meter?.speed() ?? 0,
      etaSeconds: phase === "downloading" ? (meter?.eta() ?? null) : null,
      ...(message ? { message } : {}),
    });
  let success = false;
  for await (const text of lines(res, options.signal)) {
    const line = JSON.parse(text) as PullLine;
    if (line.error) {
      emit("error", line.error);
      throw new Error(line.error);
    }
    if (line.status === "pulling manifest") emit("resolving");
    else if (typeof line.total === "number" && typeof line.completed === "number") {
      meter ??= new ProgressMeter(line.total);
      meter.add(line.completed - meter.completed);
      emit("downloading");
    } else if (line.status === "verifying sha256 digest") emit("verifying");
    else if (line.status === "success") success = true;
  }
  options.signal?.throwIfAborted();
  if (!success) throw new Error(`the runner at ${client.url} ended the pull of ${ref} without finishing it`);
  emit("done");
  const { models } = await client.json<{ models: { name: string; digest: string; size: number }[] }>(
    "/api/tags",
  );
  const model = models.find((m) => m.name === ref);
  if (!model) throw new Error(`the runner at ${client.url} pulled ${ref} but does not list it`);
  return { ref, digest: `sha256:${model.digest}`, size: model.size };
}
