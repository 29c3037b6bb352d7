/**
 * `hangar launch claude|codex|opencode [--model REF] [-- ARGS]`: starts a coding agent with its
 * environment pointed at the runner (starting the runner first when it is not up). When the agent is not
 * installed, prints what to set instead.
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { runnerClient, type RunnerClient } from "../runner-client.ts";
import { AGENTS, agentLaunch, shellExports, shellWord, type Agent } from "../launch/agent-tools.ts";
import { findExecutable } from "../launch/find-executable.ts";
import type { Command } from "../command.ts";

const USAGE = `usage: hangar launch ${AGENTS.join("|")} [--model REF] [-- AGENT ARGS]`;

async function isUp(client: RunnerClient): Promise<boolean> {
  try {
    return (await client.request("/health")).ok;
  } catch {
    return false;
  }
}

/** Starts `hangar serve` in the background (it outlives this command) and waits until it answers. */
async function startRunner(client: RunnerClient, env: NodeJS.ProcessEnv): Promise<void> {
  const script = process.argv[1];
  if (!script)
    throw new Error("cannot find the hangar command to start the runner: run `hangar serve` first");
  const child = spawn(process.execPath, [...process.execArgv, script, "serve"], {
    env,
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await isUp(client)) return;
    if (child.exitCode !== null)
      throw new Error(`the runner exited with code ${child.exitCode}: run \`hangar serve\` to see why`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the runner did not answer at ${client.url} within 60 s`);
}

async function pickModel(client: RunnerClient, asked: string | undefined): Promise<string> {
  if (asked) {
    await client.json(`/v1/models/${asked}`).catch((error: unknown) => {
      throw new Error(`${(error as Error).message} (pull it with \`hangar pull ${asked}\`)`);
    });
    return asked;
  }
  const { data } = await client.json<{ data: { id: string }[] }>("/v1/models");
  if (!data[0])
    throw new Error("no model is installed: pull one with `hangar pull REF`, or pass --model REF");
  return data[0].id;
}

export async function launchAgent(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { model: { type: "string", short: "m" } },
    allowPositionals: true,
  });
  const [agent, ...extra] = positionals;
  if (!AGENTS.includes(agent as Agent)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const client = await runnerClient(env);
  if (!(await isUp(client))) {
    if (env.HANGAR_URL) throw new Error(`the runner at HANGAR_URL (${client.url}) does not answer`);
    console.log(`Starting the Hangar runner at ${client.url}…`);
    await startRunner(client, env);
  }
  const model = await pickModel(client, values.model);
  const launch = agentLaunch(agent as Agent, client.url, model, client.key);
  const args = [...launch.args, ...extra];
  const executable = await findExecutable(launch.command, env);
  if (!executable) {
    console.log(`${launch.command} is not installed (not found on PATH). To point it at Hangar, set:\n`);
    console.log(shellExports(launch.env));
    console.log(`\nthen run:\n\n${[launch.command, ...args].map(shellWord).join(" ")}`);
    return 1;
  }
  console.log(`Launching ${launch.command} with ${model} on ${client.url}`);
  const child = spawn(executable, args, { env: { ...env, ...launch.env }, stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const launch: Command = {
  name: "launch",
  usage: `launch ${AGENTS.join("|")} [--model REF]   start a coding agent pointed at the runner`,
  run: (argv) => launchAgent(argv),
};
