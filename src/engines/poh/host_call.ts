/**
 * How PohLang built-ins reach the host: one helper that performs a host call and turns the
 * host's refusals into catchable Poh errors, answering synchronously when the host does (so a
 * drawing loop does not make a Promise per pixel).
 *
 * @module
 */
import { isPxosError } from "../../errors.ts";
import type { HostValue } from "../../host/calls.ts";
import type { BuiltinContext } from "./builtins.ts";
import { PohErrorValue, PohThrow, type Value } from "./values.ts";

const decoder = new TextDecoder();

/**
 * The Poh error type a host failure becomes, or null when it must pass through untouched
 * (`GuestExit`, limits, internal faults).
 */
function guestErrorType(e: unknown, call: string): string | null {
  if (!isPxosError(e)) return null;
  // `E_NET` is the permissions layer's code for a failed request; compared as text so this
  // module does not depend on the code list having it yet.
  const code: string = e.code;
  if (code === "E_PERMISSION") return "PermissionError";
  if (code === "E_NET") return "NetworkError";
  if (code === "E_IO" || code === "E_PATH") return "FileError";
  if (code === "E_TRAP" && call.startsWith("gfx.")) return "GraphicsError";
  return null;
}

/** Rethrows a host failure as a catchable Poh error when it is one the guest may handle. */
function toGuestError(e: unknown, call: string): never {
  const type = guestErrorType(e, call);
  if (type === null) throw e;
  throw new PohThrow(new PohErrorValue(type, (e as Error).message), e);
}

function fromHost(r: HostValue): Value {
  return r instanceof Uint8Array ? decoder.decode(r) : (r as Value);
}

/**
 * Performs host call `name`. A denial becomes a `PermissionError`, a network failure a
 * `NetworkError`, a file failure a `FileError`, a drawing fault a `GraphicsError`; bytes come
 * back as text.
 *
 * @param ctx the run's built-in context (its host)
 * @param name host-call name, e.g. `fs.list`
 * @param args the call's arguments
 * @returns the answer, or a Promise of it when the host answers asynchronously
 */
export function hostCall(
  ctx: BuiltinContext,
  name: string,
  args: HostValue[],
): Value | Promise<Value> {
  let r: HostValue | Promise<HostValue>;
  try {
    r = ctx.host.invoke(name, args);
  } catch (e) {
    toGuestError(e, name);
  }
  if (r instanceof Promise) return r.then(fromHost, (e) => toGuestError(e, name));
  return fromHost(r);
}
