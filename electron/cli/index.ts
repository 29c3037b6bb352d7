import { main } from "./cli.ts";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hangar: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
