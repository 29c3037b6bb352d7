/**
 * Entry point of an inference worker process (forked by worker-client.ts; bundled to
 * dist/runner/worker.js). It readies node-llama-cpp at once and then waits for a model to load.
 * Messages from the runner are validated before anything acts on them.
 */
import { InferenceHost } from "./inference-host.ts";
import { parseToWorker, type ToParent } from "../protocol.ts";
import { workerGpu, workerLogLevel } from "../worker-env.ts";
import { narrowJsonNumberGrammar } from "./json-number-grammar.ts";

if (!process.send) {
  console.error("the inference worker must be started by the runner (it needs an IPC channel)");
  process.exit(2);
}

await narrowJsonNumberGrammar();

const send = (message: ToParent): void => {
  process.send?.(message);
};
const host = new InferenceHost(send, { logLevel: workerLogLevel(process.env) });
// Ready the backend now: a worker is forked ahead of the load that will use it.
// A failure here is reported by the load that needs the backend, with its message.
host.prepare(workerGpu(process.env)).catch(() => undefined);

process.on("message", (raw: unknown) => {
  let message;
  try {
    message = parseToWorker(raw);
  } catch (error) {
    const id = typeof (raw as { id?: unknown })?.id === "number" ? (raw as { id: number }).id : -1;
    send({
      type: "error",
      id,
      code: "invalid_request",
      message: error instanceof Error ? error.message : String(error),
    });
    return;
  }
  void host.handle(message);
});

// The runner going away (crash, kill) closes the channel: nothing is left to serve.
process.on("disconnect", () => process.exit(0));
