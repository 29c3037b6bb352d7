import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, readdir, readFile, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobStore, sha256Digest } from "../../store/blob-store.ts";
import { downloadBlob, DiskFullError } from "./blob-download.ts";
import type { BlobSource } from "./blob-download.ts";

const data = randomBytes(3 << 20);
const digest = sha256Digest(data);

/** Serves `data` the way a registry does (Range → 206 with Content-Range), recording what was asked. */
function source(opts: { ignoreRange?: boolean; stallOnce?: number; etag?: () => string } = {}) {
  const asked: (string | undefined)[] = [];
  let served = 0;
  let stalled = false;
  const src: BlobSource = {
    async open({ range, signal }) {
      asked.push(range);
      let start = 0;
      let end = data.length - 1;
      const m = range ? /^bytes=(\d+)-(\d+)?$/.exec(range) : null;
      if (m && !opts.ignoreRange) {
        start = Number(m[1]);
        end = m[2] ? Number(m[2]) : end;
      }
      const slice = data.subarray(start, end + 1);
      const stallAt = !stalled && opts.stallOnce !== undefined ? opts.stallOnce : -1;
      if (stallAt >= 0) stalled = true;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          let off = 0;
          while (off < slice.length) {
            if (stallAt >= 0 && off >= stallAt) {
              await new Promise((_r, reject) =>
                signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
              );
            }
            const chunk = slice.subarray(off, off + 65536);
            controller.enqueue(new Uint8Array(chunk));
            served += chunk.length;
            off += chunk.length;
          }
          controller.close();
        },
      });
      const headers: Record<string, string> = { "content-length": String(slice.length) };
      if (opts.etag) headers.etag = opts.etag();
      if (m && !opts.ignoreRange) headers["content-range"] = `bytes ${start}-${end}/${data.length}`;
      return new Response(body, { status: m && !opts.ignoreRange ? 206 : 200, headers });
    },
  };
  return { src, asked, served: () => served };
}

async function withBlobs(fn: (blobs: BlobStore) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "hangar-dl-"));
  try {
    const blobs = new BlobStore(dir);
    await blobs.init();
    await fn(blobs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("parallel Range parts assemble and verify the blob", () =>
  withBlobs(async (store) => {
    const s = source();
    let bytes = 0;
    const r = await downloadBlob({
      store,
      digest,
      size: data.length,
      source: s.src,
      parts: 4,
      partThreshold: 1,
      onBytes: (n) => (bytes += n),
    });
    assert.equal(r, "downloaded");
    assert.equal(s.asked.length, 4);
    assert.ok(s.asked.every((a) => a?.startsWith("bytes=")));
    assert.equal(bytes, data.length);
    assert.deepEqual(await readFile(store.path(digest)), data);
    assert.equal(await downloadBlob({ store, digest, size: data.length, source: s.src }), "present");
  }));

test("a digest mismatch deletes the bytes and reports both digests", () =>
  withBlobs(async (store) => {
    const wrong = sha256Digest("something else");
    await assert.rejects(
      downloadBlob({ store, digest: wrong, size: data.length, source: source().src }),
      /corrupt: expected sha256:/,
    );
    assert.equal(await store.has(wrong), false);
    assert.deepEqual(await readdir(store.incomingDir), []);
  }));

test("cancel keeps the partial file; the next run asks only for the rest", () =>
  withBlobs(async (store) => {
    const s = source({ stallOnce: 1 << 20 });
    const controller = new AbortController();
    let got = 0;
    const first = downloadBlob({
      store,
      digest,
      size: data.length,
      source: s.src,
      signal: controller.signal,
      onBytes: (n) => {
        got += n;
        if (got >= 1 << 20) controller.abort(new Error("cancelled by user"));
      },
    });
    await assert.rejects(first, /cancelled by user/);
    assert.equal(await store.has(digest), false);
    const resumed = source();
    await downloadBlob({ store, digest, size: data.length, source: resumed.src });
    assert.equal(resumed.asked[0], `bytes=${1 << 20}-${data.length - 1}`);
    assert.equal(resumed.served(), data.length - (1 << 20));
    assert.deepEqual(await readFile(store.path(digest)), data);
  }));

test("a stalled part is restarted from where it stopped", () =>
  withBlobs(async (store) => {
    const s = source({ stallOnce: 512 * 1024 });
    await downloadBlob({ store, digest, size: data.length, source: s.src, stallMs: 200 });
    assert.equal(s.asked.length, 2);
    assert.equal(s.asked[1], `bytes=${512 * 1024}-${data.length - 1}`);
    assert.deepEqual(await readFile(store.path(digest)), data);
  }));

test("a server that ignores Range: the partial is dropped and the blob fetched whole", () =>
  withBlobs(async (store) => {
    await writeFile(store.partialPath(digest), data.subarray(0, 1000));
    await writeFile(
      `${store.partialPath(digest)}.json`,
      JSON.stringify({
        size: data.length,
        etag: null,
        parts: [{ start: 0, end: data.length, written: 1000 }],
      }),
    );
    const s = source({ ignoreRange: true });
    await downloadBlob({ store, digest, size: data.length, source: s.src });
    assert.deepEqual(s.asked, ["bytes=1000-" + (data.length - 1), undefined]);
    assert.deepEqual(await readFile(store.path(digest)), data);
  }));

test("a changed ETag restarts the download from zero", () =>
  withBlobs(async (store) => {
    await writeFile(store.partialPath(digest), Buffer.alloc(1000));
    await writeFile(
      `${store.partialPath(digest)}.json`,
      JSON.stringify({
        size: data.length,
        etag: '"old"',
        parts: [{ start: 0, end: data.length, written: 1000 }],
      }),
    );
    const s = source({ etag: () => '"new"' });
    await downloadBlob({ store, digest, size: data.length, source: s.src });
    assert.deepEqual(s.asked, ["bytes=1000-" + (data.length - 1), undefined]);
    assert.deepEqual(await readFile(store.path(digest)), data);
  }));

test("a full disk gives a clear error and leaves the store intact", () =>
  withBlobs(async (store) => {
    let written = 0;
    const writeAt: NonNullable<Parameters<typeof downloadBlob>[0]["writeAt"]> = async (
      file,
      chunks,
      position,
    ) => {
      const bytes = chunks.reduce((n, c) => n + c.length, 0);
      if (written + bytes > 1 << 20)
        throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      written += bytes;
      await file.writev(chunks, position);
    };
    await assert.rejects(
      downloadBlob({ store, digest, size: data.length, source: source().src, writeAt }),
      (err: Error) => err instanceof DiskFullError && /not enough disk space/.test(err.message),
    );
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await readdir(store.incomingDir), [], "the partial bytes are given back");
  }));
