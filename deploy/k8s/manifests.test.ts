// The Kubernetes manifests hold together: what kustomize would render, checked for probes, non-root,
// read-only root, resources, the store's PVC, the init pull, and selectors that match.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { parseBytes } from "../../electron/runner/settings/settings.ts";

const K8S = import.meta.dirname;
const CONTAINERFILE = readFileSync(join(K8S, "..", "..", "Containerfile"), "utf8");

// Loose shapes: the test reads what it checks and asserts the rest exists.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

function readYaml(path: string): Doc[] {
  return parseAllDocuments(readFileSync(path, "utf8")).map((d) => {
    assert.deepEqual(d.errors, [], `${path} parses`);
    return d.toJS() as Doc;
  });
}

/** The resources a kustomization lists, recursively (kustomize's own rendering is checked below when kubectl exists). */
function kustomize(dir: string): { docs: Doc[]; kustomizations: Doc[] } {
  const [k] = readYaml(join(dir, "kustomization.yaml"));
  const docs: Doc[] = [];
  const kustomizations = [k!];
  for (const resource of k!.resources as string[]) {
    const path = join(dir, resource);
    assert.ok(existsSync(path), `${resource} listed in ${dir}/kustomization.yaml exists`);
    if (existsSync(join(path, "kustomization.yaml"))) {
      const inner = kustomize(path);
      docs.push(...inner.docs);
      kustomizations.push(...inner.kustomizations);
    } else docs.push(...readYaml(path));
  }
  return { docs, kustomizations };
}

const byKind = (docs: Doc[], kind: string) => docs.filter((d) => d.kind === kind);
const one = (docs: Doc[], kind: string) => {
  const found = byKind(docs, kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!;
};

const base = kustomize(join(K8S, "base"));
const deployment = one(base.docs, "Deployment");
const pod = deployment.spec.template;
const containers: Doc[] = pod.spec.containers;
const inits: Doc[] = pod.spec.initContainers;
const runner = containers.find((c) => c.name === "hangar")!;
const config = Object.fromEntries(
  (base.kustomizations[0]!.configMapGenerator[0].literals as string[]).map((l) =>
    l.split(/=(.*)/s).slice(0, 2),
  ),
);

test("probes: readiness and liveness on /health, on the port the runner listens on", () => {
  const port = runner.ports.find((p: Doc) => p.name === "http");
  assert.equal(port.containerPort, Number(/^EXPOSE (\d+)/m.exec(CONTAINERFILE)![1]), "the image's EXPOSE");
  for (const probe of [runner.readinessProbe, runner.livenessProbe]) {
    assert.equal(probe.httpGet.path, "/health");
    assert.equal(probe.httpGet.port, "http");
  }
  assert.ok(
    runner.livenessProbe.failureThreshold * runner.livenessProbe.periodSeconds >= 30,
    "no restart on a busy moment",
  );
});

test("non-root with a read-only root filesystem, every container; the image's own uid", () => {
  const imageUser = /^USER (\d+)/m.exec(CONTAINERFILE)![1];
  assert.equal(pod.spec.securityContext.runAsNonRoot, true);
  assert.equal(String(pod.spec.securityContext.runAsUser), imageUser);
  assert.equal(String(pod.spec.securityContext.fsGroup), imageUser, "the PVC is writable by that user");
  for (const c of [...inits, ...containers]) {
    assert.equal(c.securityContext.readOnlyRootFilesystem, true, c.name);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false, c.name);
    assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"], c.name);
    assert.ok(c.resources.requests.cpu && c.resources.limits.memory, `${c.name} has resources`);
    const mounts = (c.volumeMounts as Doc[]).map((m) => m.mountPath);
    assert.ok(mounts.includes("/data") && mounts.includes("/tmp"), `${c.name}: /data and /tmp writable`);
  }
  const limit = parseBytes(runner.resources.limits.memory.replace(/i$/, "iB"), "limit");
  assert.ok(parseBytes(config.HANGAR_MEMORY_BUDGET!, "budget") < limit, "the memory budget fits the limit");
});

test("the store is the PVC; every mounted volume exists; secrets hold the key and registry login", () => {
  const pvc = one(base.docs, "PersistentVolumeClaim");
  const volumes = new Map((pod.spec.volumes as Doc[]).map((v) => [v.name, v]));
  assert.equal(volumes.get("data")!.persistentVolumeClaim.claimName, pvc.metadata.name);
  assert.ok(/^VOLUME \["\/data"\]/m.test(CONTAINERFILE) && /HANGAR_HOME=\/data/.test(CONTAINERFILE));
  for (const c of [...inits, ...containers])
    for (const m of c.volumeMounts as Doc[]) assert.ok(volumes.has(m.name), `${c.name} mounts ${m.name}`);

  const keyFile = runner.env.find((e: Doc) => e.name === "HANGAR_API_KEYS_FILE").value as string;
  const keyMount = (runner.volumeMounts as Doc[]).find((m) => m.mountPath === dirname(keyFile))!;
  assert.equal(volumes.get(keyMount.name)!.secret.secretName, "hangar-api-key");
  assert.equal(
    volumes.get(keyMount.name)!.secret.optional,
    undefined,
    "the runner never starts without its key",
  );

  const pull = inits.find((c) => c.name === "pull-models")!;
  assert.match(pull.command.join(" "), /hangar pull "\$model"/);
  assert.match(pull.command.join(" "), /\$HANGAR_MODELS/);
  assert.ok(config.HANGAR_MODELS, "models to pull are configured");
  const dockerConfig = pull.env.find((e: Doc) => e.name === "DOCKER_CONFIG").value;
  const credMount = (pull.volumeMounts as Doc[]).find((m) => m.mountPath === dockerConfig)!;
  const creds = volumes.get(credMount.name)!.secret;
  assert.deepEqual(creds.items, [{ key: ".dockerconfigjson", path: "config.json" }]);
  for (const c of [...inits, ...containers])
    assert.equal(c.envFrom[0].configMapRef.name, base.kustomizations[0]!.configMapGenerator[0].name);
});

test("selectors match: Deployment and Service pick the pod's labels; Ingress and Prometheus point at real ports", () => {
  const labels = pod.metadata.labels;
  const matches = (selector: Record<string, string>) =>
    Object.entries(selector).every(([k, v]) => labels[k] === v) && Object.keys(selector).length > 0;
  assert.ok(matches(deployment.spec.selector.matchLabels));
  const service = one(base.docs, "Service");
  assert.ok(matches(service.spec.selector), "the Service selects the runner's pods");
  const servicePort = service.spec.ports.find((p: Doc) => p.name === "http");
  assert.ok(runner.ports.some((p: Doc) => p.name === servicePort.targetPort));

  assert.equal(pod.metadata.annotations["prometheus.io/scrape"], "true");
  assert.equal(pod.metadata.annotations["prometheus.io/path"], "/metrics");
  assert.equal(Number(pod.metadata.annotations["prometheus.io/port"]), runner.ports[0].containerPort);

  const withIngress = kustomize(join(K8S, "ingress"));
  const ingress = one(withIngress.docs, "Ingress");
  for (const rule of ingress.spec.rules) {
    for (const path of rule.http.paths) {
      assert.equal(path.backend.service.name, service.metadata.name);
      assert.equal(path.backend.service.port.name, servicePort.name);
    }
    assert.ok(
      config.HANGAR_ALLOWED_HOSTS!.split(",").includes(rule.host),
      "the runner answers the Ingress host",
    );
  }
  assert.ok(config.HANGAR_ALLOWED_HOSTS!.split(",").includes(service.metadata.name));
});

const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" });
const noKubectl = kubectl.status === 0 ? false : "kubectl is not installed: kustomize rendering not checked";
if (noKubectl) console.log(`# ${noKubectl}`);
test("kubectl kustomize renders both; the image name is set once", { skip: noKubectl }, () => {
  for (const dir of ["base", "ingress"]) {
    const r = spawnSync("kubectl", ["kustomize", join(K8S, dir)], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Doc);
    const spec = one(docs, "Deployment").spec.template.spec;
    const configMap = one(docs, "ConfigMap").metadata.name;
    for (const c of [...spec.initContainers, ...spec.containers]) {
      assert.match(c.image, /^registry\.example\.com\/hangar:/);
      assert.equal(c.envFrom[0].configMapRef.name, configMap, "the generated name is wired in");
    }
  }
});
