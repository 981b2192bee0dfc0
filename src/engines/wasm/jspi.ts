/**
 * JavaScript Promise Integration (JSPI), typed: lets a synchronous wasm import wait for an
 * asynchronous host call (a file, the terminal, the network) by suspending the guest's stack.
 * Deno 2.9's V8 ships it; without it the engine refuses to run with `E_RUNTIME`.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";

interface Jspi {
  Suspending?: new (fn: (...args: never[]) => unknown) => object;
  promising?: (fn: (...args: never[]) => unknown) => (...args: unknown[]) => Promise<unknown>;
}

const jspi = WebAssembly as unknown as Jspi;

function required<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new PxosError(
      "E_RUNTIME",
      "the wasm engine needs WebAssembly JSPI (WebAssembly.Suspending), found none: use Deno 2.5 or later",
    );
  }
  return value;
}

/** An import that may return a promise: the guest waits for it. */
export function suspending(fn: (...args: number[]) => unknown): WebAssembly.ImportValue {
  const Suspending = required(jspi.Suspending);
  return new Suspending(fn as never) as unknown as WebAssembly.ImportValue;
}

/** An export called so that the imports it reaches may suspend it. */
export function promising(fn: unknown): () => Promise<unknown> {
  return required(jspi.promising)(fn as never);
}
