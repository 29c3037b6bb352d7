import type { Command } from "../command.ts";
import { openLibrary } from "../local-store.ts";
import { openRemoteStore, remoteRunnerUrl } from "../remote-store.ts";
import { canonicalReference } from "../../runner/artifact/reference.ts";

export const tag: Command = {
  name: "tag",
  usage: "tag SOURCE TARGET             give a stored model another reference",
  async run(argv) {
    if (argv.length !== 2) throw new Error("usage: hangar tag SOURCE TARGET");
    const library = remoteRunnerUrl() ? await openRemoteStore() : await openLibrary();
    await library.tag(argv[0]!, argv[1]!);
    console.log(`${canonicalReference(argv[1]!)} -> ${canonicalReference(argv[0]!)}`);
    return 0;
  },
};
