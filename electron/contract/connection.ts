/**
 * Which runner the desktop app works with: the one it hosts on this computer, or a remote runner
 * (URL and API key) reached over its WebSocket bridge. Answered by the app itself, never forwarded.
 */
import { noParams, v, type Validator } from "./validate.ts";

export type RunnerConnection =
  | { kind: "local" }
  | { kind: "remote"; url: string; state: "connecting" | "open" | "closed"; hasKey: boolean };

export const connectionChoice = v.object({
  kind: v.literal("local", "remote"),
  url: v.optional(v.string({ min: 1, max: 2048 })),
  apiKey: v.optional(v.string({ max: 4096 })),
});

export const connectionMethods = {
  "connection.get": noParams,
  "connection.set": connectionChoice,
} satisfies Record<string, Validator<unknown>>;

export interface ConnectionMethodResults {
  "connection.get": RunnerConnection;
  "connection.set": RunnerConnection;
}

/** Short name of where the app's runner is, for the status bar and the tray. */
export function connectionLabel(c: RunnerConnection): string {
  if (c.kind === "local") return "this computer";
  try {
    return new URL(c.url).host;
  } catch {
    return c.url;
  }
}
