export type HuggingFaceErrorCode =
  | "repo_not_found"
  | "revision_not_found"
  | "unauthorized"
  | "no_gguf"
  | "quant_not_found"
  | "incomplete_shards"
  | "bad_reference"
  | "http_error";

/** A Hugging Face failure with a message a user can act on. */
export class HuggingFaceError extends Error {
  constructor(
    readonly code: HuggingFaceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "HuggingFaceError";
  }
}

/** Turns a failed Hub response into a HuggingFaceError. */
export async function hubError(
  response: Response,
  what: string,
  hasToken: boolean,
): Promise<HuggingFaceError> {
  const code = response.headers.get("x-error-code") ?? "";
  let detail = "";
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string") detail = body.error;
  } catch {
    // Not JSON: the status line says enough.
  }
  // The Hub answers 401 + RepoNotFound for a repository that does not exist (or that this caller may
  // not see), so the error code decides before the status does.
  if (code === "RepoNotFound") {
    return new HuggingFaceError(
      "repo_not_found",
      `${what}: repository not found (check the name${hasToken ? "" : "; private repositories need HF_TOKEN"})`,
    );
  }
  if (code === "GatedRepo") {
    return new HuggingFaceError(
      "unauthorized",
      `${what}: the repository is gated: accept its terms on the Hub, then set HF_TOKEN to a token of that account`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    return new HuggingFaceError(
      "unauthorized",
      hasToken
        ? `${what}: the Hub refused HF_TOKEN (HTTP ${response.status}${detail ? `: ${detail}` : ""}); check the token and that it can read this repository`
        : `${what}: the Hub requires authentication (HTTP ${response.status}); set HF_TOKEN to a token that can read this repository`,
    );
  }
  if (response.status === 404 && code === "RevisionNotFound") {
    return new HuggingFaceError(
      "revision_not_found",
      `${what}: revision not found${detail ? ` (${detail})` : ""}`,
    );
  }
  if (response.status === 404) {
    return new HuggingFaceError(
      "repo_not_found",
      `${what}: repository not found (check the name${hasToken ? "" : "; private and gated repositories need HF_TOKEN"})`,
    );
  }
  return new HuggingFaceError("http_error", `${what}: HTTP ${response.status}${detail ? `: ${detail}` : ""}`);
}
