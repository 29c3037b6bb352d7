import type { Command } from "../command.ts";
import { adopt } from "./adopt.ts";
import { bench } from "./bench.ts";
import { df } from "./df.ts";
import { exportCommand } from "./export.ts";
import { fsck } from "./fsck.ts";
import { importCommand } from "./import.ts";
import { inspect } from "./inspect.ts";
import { launch } from "./launch.ts";
import { login, logout } from "./login.ts";
import { ls } from "./ls.ts";
import { packageCommand } from "./package.ts";
import { pull } from "./pull.ts";
import { push } from "./push.ts";
import { rm } from "./rm.ts";
import { search } from "./search.ts";
import { logs } from "./logs.ts";
import { ps } from "./ps.ts";
import { run } from "./run.ts";
import { serve } from "./serve.ts";
import { status } from "./status.ts";
import { unload } from "./unload.ts";
import { tag } from "./tag.ts";
import { version } from "./version.ts";

/** Every `hangar` subcommand, in the order `hangar help` lists them. */
export const commands: Command[] = [
  pull,
  push,
  packageCommand,
  tag,
  ls,
  rm,
  inspect,
  df,
  fsck,
  importCommand,
  adopt,
  exportCommand,
  login,
  logout,
  search,
  serve,
  run,
  bench,
  launch,
  ps,
  unload,
  logs,
  status,
  version,
];
