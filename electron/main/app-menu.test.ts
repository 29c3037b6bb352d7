import { test } from "node:test";
import assert from "node:assert/strict";
import type { MenuItemConstructorOptions } from "electron";
import { appMenuTemplate } from "./app-menu.ts";

const actions = { start() {}, stop() {}, quit() {} };

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

test("a packaged app's menu has no reload and no DevTools", () => {
  const packaged = roles(appMenuTemplate(null, actions, true));
  for (const role of ["viewMenu", "reload", "forceReload", "toggleDevTools"])
    assert.ok(!packaged.includes(role as never), role);
  assert.ok(packaged.includes("zoomIn"));
  assert.ok(roles(appMenuTemplate(null, actions, false)).includes("viewMenu"), "development keeps them");
});
