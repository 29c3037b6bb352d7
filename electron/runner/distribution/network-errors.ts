/**
 * Network failures said the way a person would say them ("Can't reach huggingface.co — check the
 * connection") instead of Node's "getaddrinfo ENOTFOUND huggingface.co". fetch hides the socket error in
 * `cause` (undici and distribution/transfer/node-fetch.ts both do), and some callers fold it into their own
 * message, so both the cause chain and the messages are read.
 */

interface SocketError {
  code?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

const NOT_FOUND = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL"]);
const TIMED_OUT = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT"]);
const CUT_OFF = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "ECONNABORTED"]);
const UNREACHABLE = new Set(["ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EHOSTDOWN"]);
const CERTIFICATE =
  /^(CERT_|UNABLE_TO_VERIFY|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|ERR_TLS_CERT_ALTNAME_INVALID)/;

/** Every error in the chain: the error, its causes, and the members of AggregateErrors. */
function chain(error: unknown, out: SocketError[] = [], depth = 0): SocketError[] {
  if (depth > 8 || error === null || typeof error !== "object") return out;
  const e = error as SocketError;
  out.push(e);
  if (Array.isArray(e.errors)) for (const inner of e.errors) chain(inner, out, depth + 1);
  chain(e.cause, out, depth + 1);
  return out;
}

function sentence(code: string, where: string | null): string | null {
  const at = where ?? "the server";
  if (NOT_FOUND.has(code)) return `Can't reach ${at} — check the connection`;
  if (code === "ECONNREFUSED") return `Nothing answers at ${at} — is it running, and is the address right?`;
  if (TIMED_OUT.has(code)) return `${where ?? "The server"} did not answer in time — check the connection`;
  if (CUT_OFF.has(code)) return `The connection to ${at} was cut off — try again`;
  if (UNREACHABLE.has(code)) return `Can't reach ${at}: no network route — check the connection`;
  if (CERTIFICATE.test(code)) return `${where ?? "The server"}'s certificate is not trusted (${code})`;
  return null;
}

/** The human sentence for a network failure anywhere in `error`, or null when it is not one. */
export function describeNetworkError(error: unknown): string | null {
  for (const e of chain(error)) {
    if (typeof e.code !== "string") continue;
    const host =
      typeof e.hostname === "string"
        ? e.hostname
        : typeof e.address === "string"
          ? `${e.address}${typeof e.port === "number" ? `:${e.port}` : ""}`
          : null;
    const said = sentence(e.code, host);
    if (said) return said;
  }
  // Folded into a message: "connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND huggingface.co".
  for (const e of chain(error)) {
    if (typeof e.message !== "string") continue;
    const m = /\b(?:getaddrinfo|connect|read|write|request)\s+([A-Z_]{5,})(?:\s+([^\s,;)]+))?/.exec(
      e.message,
    );
    const said = m ? sentence(m[1]!, m[2] ?? null) : null;
    if (said) return said;
  }
  return null;
}

/**
 * What to tell a user about `error`: the network sentence when it is one, else its own message; fetch's
 * bare "fetch failed" gets its cause's message ("fetch failed: bad port").
 */
export function humanErrorMessage(error: unknown): string {
  const said = describeNetworkError(error);
  if (said) return said;
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (error.message === "fetch failed" && cause instanceof Error && cause.message)
    return `fetch failed: ${cause.message}`;
  return error.message;
}

/**
 * Whether trying again could help: network trouble and server errors can pass; a malformed reference,
 * a model or repository that does not exist, or a refused login will not change by retrying.
 */
export function isRetryable(error: unknown): boolean {
  if (describeNetworkError(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  const permanent = [
    "invalid_reference",
    "invalid_request",
    "not_found",
    "repo_not_found",
    "revision_not_found",
    "quant_not_found",
    "no_gguf",
    "bad_reference",
    "unauthorized",
    "forbidden",
  ];
  return !(typeof code === "string" && permanent.includes(code));
}
