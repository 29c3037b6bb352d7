import { VERSION } from "../../runner/version.ts";
import type { Command } from "../command.ts";

export const version: Command = {
  name: "version",
  usage: "version                       print the version",
  async run() {
    console.log(VERSION);
    return 0;
  },
};
