/** Calls the bridge and turns an error Result into a thrown BridgeCallError, for store actions. */
import {
  unwrap,
  type Bridge,
  type MethodName,
  type MethodParams,
  type MethodResult,
} from "../../../electron/contract/index.ts";

export async function callOrThrow<M extends MethodName>(
  bridge: Bridge,
  method: M,
  params: MethodParams<M>,
): Promise<MethodResult<M>> {
  return unwrap(await bridge.call(method, params));
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
