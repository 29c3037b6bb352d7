import type { Command } from "../command.ts";
import { openLibrary } from "../local-store.ts";
import { openRemoteStore, remoteRunnerUrl } from "../remote-store.ts";
import { canonicalReference } from "../../runner/artifact/reference.ts";

export const tag: Command = {
  name: "tag",
  usage:
    "tag SOURCE TARGET             give a stored model another reference (replaces the model TARGET names, as docker tag does)",
  async run(argv) {
    const help =
      "usage: hangar tag SOURCE TARGET\n\nGives the model SOURCE the reference TARGET as well. As with `docker tag`, a TARGET that\n" +
      "already names another model now names SOURCE's model instead, without asking (the other model's\n" +
      "files go once nothing else uses them). The desktop app asks before replacing.\n";
    if (argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(help);
      return 0;
    }
    if (argv.length !== 2) {
      process.stderr.write(help);
      return 2;
    }
    const library = remoteRunnerUrl() ? await openRemoteStore() : await openLibrary();
    await library.tag(argv[0]!, argv[1]!);
    console.log(`${canonicalReference(argv[1]!)} -> ${canonicalReference(argv[0]!)}`);
    return 0;
  },
};
