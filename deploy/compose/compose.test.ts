// compose.yaml holds together: services, volumes and files it names exist; the web page's origin is the
// runner's allowed origin; the runner always gets a key; the page reads the config the web service writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..");
/* eslint-disable @typescript-eslint/no-explicit-any */
const compose = parse(readFileSync(join(ROOT, "compose.yaml"), "utf8"), { merge: true }) as Record<
  string,
  any
>;
const services = compose.services as Record<string, any>;

/** Compose interpolation with an empty environment: `${X:-default}` → default; `${X:?msg}` → required. */
function interpolate(value: string): { value: string; required: string[] } {
  const required: string[] = [];
  const out = value.replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      if (op === "?") {
        required.push(name);
        return `<${name}>`;
      }
      return op === "-" ? arg! : "";
    },
  );
  return { value: out, required };
}

test("services, volumes and build context exist; the runner starts after the models are pulled", () => {
  assert.deepEqual(Object.keys(services).sort(), ["models", "runner", "web"]);
  const declared = Object.keys(compose.volumes ?? {});
  for (const [name, service] of Object.entries(services)) {
    for (const v of (service.volumes ?? []) as string[]) {
      const [source] = v.split(":");
      if (source!.startsWith(".")) assert.ok(existsSync(join(ROOT, source!)), `${name}: ${source} exists`);
      else assert.ok(declared.includes(source!), `${name}: volume ${source} is declared`);
    }
    const deps = service.depends_on ?? [];
    for (const dep of Array.isArray(deps) ? deps : Object.keys(deps))
      assert.ok(services[dep], `${name} depends on ${dep}, a service`);
  }
  assert.ok(existsSync(join(ROOT, services.models.build.context, services.models.build.dockerfile)));
  assert.equal(services.runner.image, services.models.image, "one image for the pull and the runner");
  assert.equal(services.runner.depends_on.models.condition, "service_completed_successfully");
  assert.equal(services.models.command[0], "pull");
  assert.ok(
    services.models.volumes.includes("hangar-data:/data") &&
      services.runner.volumes.includes("hangar-data:/data"),
  );
});

test("the page's origin is the runner's allowed origin, and the page calls the runner's published port", () => {
  const env = services.runner.environment;
  const origin = interpolate(env.HANGAR_CORS_ORIGINS).value;
  const webPort = (services.web.ports as string[]).map((p) => p.split(":")).find((p) => p.at(-1) === "80")!;
  assert.equal(origin, `http://localhost:${webPort.at(-2)}`);
  const runnerPort = (services.runner.ports as string[])[0]!.split(":");
  assert.equal(runnerPort.at(-1), "11987");
  const publicUrl = new URL(interpolate(services.web.environment.HANGAR_PUBLIC_URL).value);
  assert.equal(publicUrl.port, runnerPort.at(-2));
  for (const ports of [services.runner.ports, services.web.ports] as string[][])
    assert.ok(
      ports.every((p) => p.startsWith("127.0.0.1:")),
      "published on loopback only",
    );
  assert.equal(
    interpolate(services.web.environment.HANGAR_MODEL).value,
    interpolate(services.models.command[1]).value,
  );
});

test("no runner without a key, and the page gets the same one", () => {
  assert.deepEqual(interpolate(services.runner.environment.HANGAR_API_KEYS).required, ["HANGAR_API_KEY"]);
  assert.deepEqual(interpolate(services.web.environment.HANGAR_API_KEY).required, ["HANGAR_API_KEY"]);
  const template = readFileSync(join(ROOT, "deploy/compose/nginx.conf.template"), "utf8");
  for (const name of Object.keys(services.web.environment)) assert.ok(template.includes(`\${${name}}`), name);
  const page = readFileSync(join(ROOT, "deploy/compose/web/index.html"), "utf8");
  assert.match(page, /<script src="config\.js"><\/script>\s*<script src="app\.js"><\/script>/);
  const app = readFileSync(join(ROOT, "deploy/compose/web/app.js"), "utf8");
  for (const field of ["url", "model", "key"]) assert.ok(app.includes(`config.${field}`), field);
});
