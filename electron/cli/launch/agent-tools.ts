/**
 * How each coding agent is pointed at a Hangar runner: the environment and arguments `hangar launch`
 * gives it. Claude Code speaks Anthropic's Messages API, Codex OpenAI's Responses API, OpenCode the
 * OpenAI-compatible chat API through its provider config.
 */
export const AGENTS = ["claude", "codex", "opencode"] as const;
export type Agent = (typeof AGENTS)[number];

export interface AgentLaunch {
  /** The executable looked up on PATH. */
  command: string;
  env: Record<string, string>;
  args: string[];
}

/** Agents need some key; a runner without keys accepts any. */
const PLACEHOLDER_KEY = "hangar";

export function agentLaunch(agent: Agent, runnerUrl: string, model: string, key?: string): AgentLaunch {
  const apiKey = key ?? PLACEHOLDER_KEY;
  switch (agent) {
    case "claude":
      return {
        command: "claude",
        env: {
          ANTHROPIC_BASE_URL: runnerUrl,
          ANTHROPIC_AUTH_TOKEN: apiKey,
          // An Anthropic key in the user's environment must not be sent to the local runner instead.
          ANTHROPIC_API_KEY: "",
          ANTHROPIC_MODEL: model,
          ANTHROPIC_DEFAULT_OPUS_MODEL: model,
          ANTHROPIC_DEFAULT_SONNET_MODEL: model,
          ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
          ANTHROPIC_SMALL_FAST_MODEL: model,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        },
        args: ["--model", model],
      };
    case "codex":
      return {
        command: "codex",
        env: { HANGAR_API_KEY: apiKey, OPENAI_BASE_URL: `${runnerUrl}/v1`, OPENAI_API_KEY: apiKey },
        args: [
          "-c",
          'model_provider="hangar"',
          "-c",
          `model_providers.hangar={ name = "Hangar", base_url = "${runnerUrl}/v1", env_key = "HANGAR_API_KEY", wire_api = "responses" }`,
          "-m",
          model,
        ],
      };
    case "opencode":
      return {
        command: "opencode",
        env: {
          OPENCODE_CONFIG_CONTENT: JSON.stringify({
            $schema: "https://opencode.ai/config.json",
            provider: {
              hangar: {
                npm: "@ai-sdk/openai-compatible",
                name: "Hangar",
                options: { baseURL: `${runnerUrl}/v1`, apiKey },
                models: { [model]: { name: model, tool_call: true } },
              },
            },
            model: `hangar/${model}`,
          }),
        },
        args: [],
      };
    default:
      return agent satisfies never;
  }
}

/** `export NAME='value'` lines a user can paste into a POSIX shell. */
export function shellExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`)
    .join("\n");
}

export const shellWord = (word: string) =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
