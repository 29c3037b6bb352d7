import { test } from "node:test";
import assert from "node:assert/strict";
import type { RunnerStatus } from "../contract/runner.ts";
import { trayIconState, trayMenuTemplate } from "./tray-menu.ts";

const status = (over: Partial<RunnerStatus> = {}): RunnerStatus => ({
  state: "running",
  version: "0.1.0",
  url: "http://127.0.0.1:11987",
  busy: 0,
  loadedModels: [],
  backend: null,
  settingsProblems: [],
  ...over,
});

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      start: () => calls.push("start"),
      stop: () => calls.push("stop"),
      unload: (ref: string) => calls.push(`unload ${ref}`),
      open: () => calls.push("open"),
      quit: () => calls.push("quit"),
    },
  };
}

const labels = (items: ReturnType<typeof trayMenuTemplate>) => items.map((i) => i.label ?? `--${i.type}`);
const click = (items: ReturnType<typeof trayMenuTemplate>, label: string) => {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `menu has ${label}`);
  (item.click as () => void)();
};

test("running: status line with the URL, Stop, loaded models with Unload, Open, Quit", () => {
  const { calls, actions } = recorder();
  const menu = trayMenuTemplate(status({ loadedModels: ["ai/smollm2:135M-Q4_K_M"] }), actions);
  assert.deepEqual(labels(menu), [
    "Runner: this computer",
    "Running on http://127.0.0.1:11987",
    "--separator",
    "Stop runner",
    "--separator",
    "Loaded models",
    "ai/smollm2:135M-Q4_K_M",
    "--separator",
    "Open Hangar",
    "Quit Hangar",
  ]);
  click(menu, "Stop runner");
  const model = menu.find((i) => i.label === "ai/smollm2:135M-Q4_K_M")!;
  const unload = (model.submenu as { label: string; click: () => void }[])[0]!;
  assert.equal(unload.label, "Unload");
  unload.click();
  click(menu, "Open Hangar");
  click(menu, "Quit Hangar");
  assert.deepEqual(calls, ["stop", "unload ai/smollm2:135M-Q4_K_M", "open", "quit"]);
});

test("stopped: Start runner and no models; transitions disable the toggle", () => {
  const { calls, actions } = recorder();
  const stopped = trayMenuTemplate(status({ state: "stopped", url: null }), actions);
  assert.equal(stopped[1]!.label, "Runner stopped");
  assert.ok(labels(stopped).includes("No models loaded"));
  click(stopped, "Start runner");
  assert.deepEqual(calls, ["start"]);
  const starting = trayMenuTemplate(status({ state: "starting", url: null }), actions);
  assert.equal(starting.find((i) => i.label === "Start runner")!.enabled, false);
  const before = trayMenuTemplate(null, actions);
  assert.match(String(before[1]!.label), /starting/);
});

test("icon state: running, busy while generating, stopped otherwise", () => {
  assert.equal(trayIconState(status()), "running");
  assert.equal(trayIconState(status({ busy: 2 })), "busy");
  assert.equal(trayIconState(status({ state: "stopped" })), "stopped");
  assert.equal(trayIconState(status({ state: "starting" })), "stopped");
  assert.equal(trayIconState(null), "stopped");
});

test("the menu says which runner the app works with", () => {
  const { actions } = recorder();
  assert.equal(trayMenuTemplate(status(), actions, "gpu-box:11987")[0]!.label, "Runner: gpu-box:11987");
});
