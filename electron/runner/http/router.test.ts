import { test } from "node:test";
import assert from "node:assert/strict";
import { Router, type Handler } from "./router.ts";

const ok: Handler = async (ctx) => void ctx.res.end();

test("every route states whether it manages models, settings or logs: there is no default", () => {
  const router = new Router();
  // @ts-expect-error -- a route without `management` does not compile.
  router.add("GET", "/x", ok, {});
  // @ts-expect-error -- nor without options at all.
  router.add("GET", "/y", ok);
  router
    .add("GET", "/v1/thing", ok, { management: false })
    .add("PUT", "/hangar/thing", ok, { management: true });
  assert.equal(router.match("GET", "/v1/thing")!.route.management, false);
  assert.equal(router.match("PUT", "/hangar/thing")!.route.management, true);
  assert.equal(router.match("GET", "/x")!.route.management, undefined, "only the type stops it");
});
