/**
 * Docker credential helpers (`credsStore` and `credHelpers` in ~/.docker/config.json): the protocol of
 * docker-credential-helpers. `docker-credential-<name> get` reads the server URL on stdin and prints
 * `{"ServerURL","Username","Secret"}`; a registry it holds nothing for makes it exit non-zero.
 */
import { execFile } from "node:child_process";
import type { Credentials } from "./credentials.ts";

export class CredentialHelperError extends Error {}

/** Asks helper `name` for `serverUrl`; null when it holds nothing for it or is not installed. */
export function credentialsFromHelper(
  name: string,
  serverUrl: string,
  env: NodeJS.ProcessEnv,
): Promise<Credentials | null> {
  if (!/^[\w.-]+$/.test(name))
    return Promise.reject(new CredentialHelperError(`invalid credential helper name "${name}"`));
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ["get"], { env, timeout: 15_000 }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Not installed: go on without (public models need no credentials). Nothing stored: the same.
        if (code === "ENOENT" || /credentials not found/i.test(stdout)) return resolve(null);
        if (error.killed)
          return reject(new CredentialHelperError(`${program} did not answer within 15 seconds`));
        return resolve(null);
      }
      try {
        const answer = JSON.parse(stdout) as { Username?: string; Secret?: string };
        // "<token>" marks an identity token for OAuth flows Hangar does not speak: treat as none.
        if (!answer.Username || !answer.Secret || answer.Username === "<token>") return resolve(null);
        resolve({ username: answer.Username, password: answer.Secret });
      } catch {
        reject(new CredentialHelperError(`${program} printed something that is not JSON`));
      }
    });
    child.stdin?.end(serverUrl);
  });
}
