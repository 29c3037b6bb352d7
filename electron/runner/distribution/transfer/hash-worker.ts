/**
 * SHA-256 on a worker thread, so that hashing a download (about a third of the CPU time it takes on a
 * small machine) runs beside the network and disk work of the main thread instead of between it. Bytes are
 * passed in SharedArrayBuffers, so nothing is copied; every hash in the process shares one worker, which
 * holds the process open only while some hash is waiting for it.
 */
import { Worker } from "node:worker_threads";

// Plain JavaScript, run with `eval`: no file to locate, whether the runner runs from sources, from a bundle
// or inside Electron.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const hashes = new Map();
parentPort.on("message", (m) => {
  let hash = hashes.get(m.id);
  if (!hash) hashes.set(m.id, (hash = createHash("sha256")));
  if (m.op === "update") {
    hash.update(new Uint8Array(m.buf, m.offset, m.length));
    parentPort.postMessage({ id: m.id, seq: m.seq });
  } else {
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, seq: m.seq, digest: m.op === "digest" ? hash.digest("hex") : "" });
  }
});
`;

interface Reply {
  id: number;
  seq: number;
  digest?: string;
}

let worker: Worker | null = null;
let nextId = 1;
let waiting = 0;
const pending = new Map<string, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

function send(message: Record<string, unknown>): Promise<Reply> {
  if (!worker) {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on("message", (reply: Reply) => {
      const key = `${reply.id}:${reply.seq}`;
      const entry = pending.get(key);
      pending.delete(key);
      if (--waiting === 0) w.unref();
      entry?.resolve(reply);
    });
    const fail = (error: Error) => {
      if (worker === w) worker = null;
      waiting = 0;
      for (const entry of pending.values()) entry.reject(error);
      pending.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`the hashing thread stopped (exit code ${code})`)));
    worker = w;
  }
  const w = worker;
  return new Promise<Reply>((resolve, reject) => {
    pending.set(`${message.id as number}:${message.seq as number}`, { resolve, reject });
    if (waiting++ === 0) w.ref();
    w.postMessage(message);
  });
}

/** A Buffer whose memory the worker can read in place. */
export function sharedBuffer(size: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(size));
}

/**
 * Recycles shared batch buffers: a fresh one costs its page faults on first touch, which at download
 * speed is a good share of the main thread's time.
 */
export class SharedBufferPool {
  private readonly free: Buffer[] = [];
  constructor(readonly size: number) {}

  take(): Buffer {
    return this.free.pop() ?? sharedBuffer(this.size);
  }

  /** Gives a buffer back once nothing reads it any more (written and hashed). */
  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.free.length < 64) this.free.push(buffer);
  }
}

export class WorkerHash {
  private readonly id = nextId++;
  private seq = 0;

  /** Hashes `data` (after everything passed before it); resolves once it is hashed. */
  async update(data: Uint8Array): Promise<void> {
    if (data.byteLength === 0) return;
    let view = data;
    if (!(view.buffer instanceof SharedArrayBuffer)) {
      view = sharedBuffer(data.byteLength);
      view.set(data);
    }
    await send({
      id: this.id,
      seq: this.seq++,
      op: "update",
      buf: view.buffer,
      offset: view.byteOffset,
      length: view.byteLength,
    });
  }

  /** The hex digest of everything passed to `update`; the hash cannot be used afterwards. */
  async digest(): Promise<string> {
    return (await send({ id: this.id, seq: this.seq++, op: "digest" })).digest!;
  }

  /** Frees the worker's state for a hash that will not be finished. */
  discard(): void {
    void send({ id: this.id, seq: this.seq++, op: "drop" }).catch(() => {});
  }
}
