import type { Command } from "../command.ts";
import { search } from "./search.ts";
import { serve } from "./serve.ts";
import { version } from "./version.ts";

/** Every `hangar` subcommand, in the order `hangar help` lists them. */
export const commands: Command[] = [search, serve, version];
