/**
 * `npm run bench`: runs each benchmark module in turn and prints its figures. A module exports
 * `run(): Promise<Record<string, string | number>>`; add new ones to the list below.
 */
const modules: {
  name: string;
  load: () => Promise<{ run: () => Promise<Record<string, string | number>> }>;
}[] = [
  { name: "engine", load: () => import("./engine.ts") },
  { name: "http", load: () => import("./http.ts") },
  { name: "ui", load: () => import("./ui.ts") },
  { name: "pull", load: () => import("./pull.ts") },
];

const only = process.argv.slice(2);
let failed = false;
for (const { name, load } of modules) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  try {
    const figures = await (await load()).run();
    for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(36)} ${value}`);
  } catch (error) {
    failed = true;
    console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  }
}
process.exit(failed ? 1 : 0);
