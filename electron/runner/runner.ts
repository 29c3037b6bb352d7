/**
 * The runner: model store, model library (store + pulls), log hub, engine and HTTP server composed from settings. Hosted by the
 * Electron main process, by `hangar serve`, and by tests — the same code in each.
 */
import { join } from "node:path";
import type { RunnerState, RunnerStatus } from "../contract/api.ts";
import type { Engine } from "./engine/types.ts";
import type { ModelLibrary } from "./models.ts";
import { LogHub } from "./logs/log-hub.ts";
import type { LogLevel } from "./logs/types.ts";
import { hangarHome } from "./paths.ts";
import { VERSION } from "./version.ts";
import { loadUsableSettings, readUsableSettings, updateSettingsFile } from "./settings/settings-file.ts";
import {
  mergeSettings,
  restoreMaskedKeys,
  SettingsError,
  settingsFromEnv,
  validateSettings,
  type Settings,
} from "./settings/settings.ts";
import { settingsConflict } from "../contract/settings.ts";
import { ValidationError } from "../contract/validate.ts";
import { HttpServer } from "./http/server.ts";
import { AccessPolicy } from "./http/security.ts";
import { Metrics } from "./http/metrics.ts";
import { addOpenAiRoutes } from "./http/openai-routes.ts";
import { addOllamaRoutes } from "./http/ollama-routes.ts";
import { addOllamaCreateRoutes } from "./http/ollama-create.ts";
import { addOllamaPushRoute } from "./http/ollama-push.ts";
import { addMessagesRoutes } from "./http/anthropic/messages-routes.ts";
import { addResponsesRoutes } from "./http/responses/responses-routes.ts";
import { ResponseStore } from "./http/responses/response-store.ts";
import { addRunnerRoutes } from "./http/runner-routes.ts";
import { addStoreRoutes } from "./http/store-routes.ts";
import { createDefaultEngine, createDefaultStore, createDiscovery } from "./runner-defaults.ts";
import type { ModelStore } from "./store/model-store.ts";
import { LibraryWithDiscovery } from "./discovery/library.ts";
import { pullModel } from "./distribution/pull.ts";
import { PullQueue } from "./distribution/pull-queue.ts";
import { parseReference } from "./artifact/reference.ts";

export interface RunnerOptions {
  /** Data folder; default $HANGAR_HOME or ~/.hangar. */
  home?: string;
  /** Highest-priority settings (CLI flags), over settings.json and the environment. */
  settings?: Partial<Settings>;
  env?: NodeJS.ProcessEnv;
  /** Built renderer to serve at / (browser mode). */
  rendererDir?: string;
  /** Echo log entries at or above this level to stderr. */
  echoLogs?: LogLevel;
  /** Injected for tests and embedders; default: the model store under the settings' modelsDir. */
  store?: ModelStore;
  /** Injected for tests and embedders; default: the scheduler over worker processes. */
  createEngine?: (deps: { library: ModelLibrary; logger: LogHub; settings: Settings }) => Engine;
}

export interface Runner {
  readonly home: string;
  /** The environment the runner was made with (settings, registry credentials). */
  readonly env: NodeJS.ProcessEnv;
  readonly logs: LogHub;
  readonly store: ModelStore;
  /** The store's models and those other tools keep on this computer (used in place, adoptable); pulls go
   * through the runner's pull queue. */
  readonly library: LibraryWithDiscovery;
  /** Every pull of this runner, whoever started it (the app, the HTTP API, the CLI): one list, one control. */
  readonly pulls: PullQueue;
  readonly engine: Engine;
  /** The HTTP server; add routes with `http.router.add(…)` and WebSocket handlers with `http.onUpgrade(path, …)`. */
  readonly http: HttpServer;
  /** Browser mode (rendererDir set): `stop()` keeps the listener up for the page and its bridge. */
  readonly servesUi: boolean;
  readonly metrics: Metrics;
  settings(): Settings;
  /**
   * Validates a patch, writes it to settings.json, and applies it: API keys, CORS origins and allowed
   * hosts at once (HTTP and bridge alike), host and port on the next start.
   */
  updateSettings(patch: unknown): Promise<Settings>;
  /** Whether one of these keys lets a client in, by the same policy as the HTTP API. */
  acceptsKeys(offered: string[]): boolean;
  /** Starts the HTTP API; resolves with the status once it listens. */
  start(): Promise<RunnerStatus>;
  /**
   * Closes the HTTP API and unloads every model; `start()` brings it back. In browser mode (rendererDir
   * set) the listener stays up for the UI and its bridge, and the API answers 503 until started again.
   */
  stop(): Promise<void>;
  status(): RunnerStatus;
  onStatusChange(listener: (status: RunnerStatus) => void): () => void;
  /** Stops and shuts the engine down for good. */
  close(): Promise<void>;
}

export async function createRunner(options: RunnerOptions = {}): Promise<Runner> {
  const env = options.env ?? process.env;
  const home = options.home ?? hangarHome(env);
  const overrides = validateSettings(options.settings ?? {}, "options");
  // Saved settings that break a rule are set aside (defaults stand in) and said, never fatal.
  const atStart = await loadUsableSettings(home, overrides, env);
  let current = atStart.settings;
  let settingsProblems = atStart.problems;
  const logs = new LogHub({
    file: { dir: join(home, "logs") },
    level: current.logLevel,
    ...(options.echoLogs ? { echoLevel: options.echoLogs } : {}),
  });
  for (const problem of settingsProblems)
    logs.error("runner", `saved setting set aside, its default is used: ${problem}`);
  const store = options.store ?? createDefaultStore(home, current);
  const discovery = createDiscovery(env, () => current);
  // What the pull queue runs: a model already on this computer is used in place, anything else is
  // downloaded (reusing the blobs other tools have).
  const pullNow = new LibraryWithDiscovery(store, discovery, (ref, pull) =>
    pullModel(store, ref, { env, ...pull }),
  );
  const pulls = new PullQueue({
    pull: (ref, pull) => pullNow.pull(ref, pull),
    check: (ref) => void parseReference(ref),
    removePartials: () => store.blobs.removePartials(),
  });
  // Everyone's view: the store first, then the models other tools keep; pulls through the queue.
  const library = new LibraryWithDiscovery(store, discovery, (ref, pull) => pulls.pull(ref, pull));
  const engine = (options.createEngine ?? createDefaultEngine)({ library, logger: logs, settings: current });
  let state: RunnerState = "stopped";
  // In browser mode the same listener serves the UI: Stop pauses the API instead of closing the socket.
  const keepsListening = options.rendererDir !== undefined;
  const listeners = new Set<(s: RunnerStatus) => void>();
  const metrics = new Metrics(() => ({
    loadedModels: engine.loaded().length,
    busy: engine.loaded().reduce((n, m) => n + m.activeSequences, 0),
  }));
  // The API's keys, origins and hosts: one policy for HTTP and the bridge. A settings change applies at
  // once, except the listen address, which changes on the next start.
  const makePolicy = (listenHost = current.host) =>
    new AccessPolicy({
      listenHost,
      corsOrigins: current.corsOrigins,
      apiKeys: current.apiKeys,
      allowedHosts: current.allowedHosts,
    });
  const policyRef = { policy: makePolicy() };
  const http = new HttpServer({
    get policy() {
      return policyRef.policy;
    },
    logger: logs,
    metrics,
    ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
  });

  const status = (): RunnerStatus => {
    const loaded = engine.loaded();
    return {
      state,
      version: VERSION,
      url: state === "running" ? http.url : null,
      busy: loaded.reduce((n, m) => n + m.activeSequences, 0),
      loadedModels: loaded.map((m) => m.ref),
      backend: loaded[0]?.backend ?? null,
      settingsProblems,
    };
  };
  const emit = () => {
    const s = status();
    for (const listener of listeners) {
      try {
        listener(s);
      } catch (error) {
        logs.warn("runner", `status listener failed: ${(error as Error).message}`);
      }
    }
  };
  const setState = (next: RunnerState) => {
    state = next;
    emit();
  };
  const offEngine = engine.onChange(emit);

  const updateSettings = async (input: unknown) => {
    const patch = restoreMaskedKeys(input, current.apiKeys);
    const keys = (patch as { apiKeys?: unknown } | null)?.apiKeys;
    if (Array.isArray(keys) && keys.length === 0 && policyRef.policy.requiresKey)
      throw new SettingsError(
        `apiKeys cannot be emptied while the API listens on ${policyRef.policy.options.listenHost}: ` +
          "anyone on the network could use it. Listen on 127.0.0.1 first, or set another key.",
      );
    // The whole result must still start: a patch alone cannot see a host left without its key.
    const conflict = settingsConflict(
      mergeSettings(
        (await readUsableSettings(home)).settings,
        validateSettings(patch),
        settingsFromEnv(env),
        overrides,
      ),
      "settings",
    );
    if (conflict) throw new ValidationError(conflict);
    await updateSettingsFile(home, patch);
    const saved = await readUsableSettings(home);
    current = mergeSettings(saved.settings, settingsFromEnv(env), overrides);
    settingsProblems = saved.problems;
    emit();
    policyRef.policy = makePolicy(policyRef.policy.options.listenHost);
    logs.info("runner", "settings updated", { keys: Object.keys(patch as object) });
    return current;
  };

  addRunnerRoutes(http.router, { engine, logs, metrics, status, settings: () => current, updateSettings });
  addOpenAiRoutes(http.router, { engine, library });
  addOllamaRoutes(http.router, { engine, library });
  addStoreRoutes(http.router, { store, library, env });
  addOllamaCreateRoutes(http.router, store);
  addOllamaPushRoute(http.router, store, env);
  addMessagesRoutes(http.router, { engine });
  addResponsesRoutes(http.router, { engine, store: new ResponseStore(join(home, "responses")) });

  const runner: Runner = {
    home,
    env,
    logs,
    store,
    library,
    pulls,
    engine,
    http,
    servesUi: keepsListening,
    metrics,
    settings: () => current,
    updateSettings,
    acceptsKeys: (offered) => policyRef.policy.offeredKeysAccepted(offered),
    async start() {
      if (state === "running" || state === "starting") return status();
      setState("starting");
      // What is read at start: the access policy, the log level and (unless the listener serves the
      // UI and stays up) the address.
      policyRef.policy = makePolicy();
      logs.setLevel(current.logLevel);
      if (keepsListening && http.listening) {
        http.pauseApi(false);
        logs.info("runner", `Hangar ${VERSION} API resumed on ${http.url}`);
        setState("running");
        return status();
      }
      try {
        const url = await http.listen(current.host, current.port);
        logs.info("runner", `Hangar ${VERSION} listening on ${url}`);
      } catch (error) {
        logs.error("runner", `could not start: ${(error as Error).message}`);
        setState("stopped");
        throw error;
      }
      setState("running");
      return status();
    },
    async stop() {
      if (state === "stopped" || state === "stopping") return;
      setState("stopping");
      if (keepsListening) http.pauseApi(true);
      else await http.close();
      await engine
        .unloadAll()
        .catch((error: unknown) => logs.warn("runner", `unload failed: ${(error as Error).message}`));
      logs.info("runner", "stopped");
      setState("stopped");
    },
    status,
    onStatusChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      await runner.stop();
      // Running pulls pause: their partial data stays for the next start to resume.
      await pulls.close();
      await http.close();
      offEngine();
      await engine.close();
      listeners.clear();
    },
  };
  return runner;
}
