import type { Command } from "../command.ts";
import { openLibrary } from "../local-store.ts";

export const tag: Command = {
  name: "tag",
  usage: "tag SOURCE TARGET             give a stored model another reference",
  async run(argv) {
    if (argv.length !== 2) throw new Error("usage: hangar tag SOURCE TARGET");
    const library = await openLibrary();
    const store = library.store;
    await library.tag(argv[0]!, argv[1]!);
    console.log(`${store.key(argv[1]!)} -> ${store.key(argv[0]!)}`);
    return 0;
  },
};
