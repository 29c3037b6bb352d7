/**
 * Runs axe-core (the engine behind Lighthouse's and the browsers' accessibility audits) inside a
 * playwright page and keeps the violations that block people: impact "critical" or "serious".
 */
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import type { AppPageOptions } from "./browser.ts";

const AXE_SCRIPT = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending nodes, with axe's one-line reason for the first few. */
  nodes: { target: string; summary: string }[];
}

/**
 * How an audited page opens: it bypasses the app's Content-Security-Policy, which rightly refuses the
 * inline script axe is.
 */
export const AUDIT_PAGE: AppPageOptions = { bypassCSP: true };

/** The critical and serious violations on the page as it is now. */
export async function blockingViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[]; failureSummary?: string }[];
      }[];
    }
    const results = await axe.run();
    return results.violations
      .filter((v) => v.impact === "critical" || v.impact === "serious")
      .map((v) => ({
        id: v.id,
        impact: v.impact!,
        help: v.help,
        nodes: v.nodes.map((n) => ({
          target: n.target.map(String).join(" "),
          summary: (n.failureSummary ?? "").replace(/\s+/g, " ").slice(0, 240),
        })),
      }));
  });
}

/** One block of text per violation, for a failing assertion or a log. */
export function describeViolations(where: string, violations: readonly AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${where}: ${v.impact} ${v.id} (${v.nodes.length} nodes) ${v.help}\n` +
        v.nodes
          .slice(0, 4)
          .map((n) => `    ${n.target}: ${n.summary}`)
          .join("\n"),
    )
    .join("\n");
}
