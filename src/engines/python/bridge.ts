/**
 * The JavaScript half of the guest bridge: `hostcall(name, ...args)` answers every host call
 * with a tagged string (`v` + JSON value, `b` + bytes as Latin-1, `e` + code + newline + message,
 * `x` + exit code) or a promise of one, so guest code never receives a JavaScript object from
 * it. Also the run limits that need JavaScript: the deadline (Pyodide's interrupt buffer, set
 * from a timer thread because the interpreter blocks this one) and the memory cap (the
 * interpreter's linear memory may not grow past it).
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import { findHostCall, type HostValue } from "../../host/calls.ts";
import { GuestExit, type Host } from "../../host/host.ts";

/** Bytes ↔ Latin-1 strings: one char per byte, both ways, no encoding involved. */
export function bytesToLatin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return out;
}

/** The inverse of {@link bytesToLatin1}. */
export function latin1ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function encode(value: HostValue | undefined): string {
  return value instanceof Uint8Array
    ? `b${bytesToLatin1(value)}`
    : `v${JSON.stringify(value ?? null)}`;
}

function encodeError(e: unknown): string {
  if (e instanceof GuestExit) return `x${e.exitCode}`;
  if (e instanceof PxosError) return `e${e.code}\n${e.message}`;
  return `eE_TRAP\n${e instanceof Error ? e.message : String(e)}`;
}

/** The bridge function handed to the Python sandbox for one run. */
export function makeHostcall(host: Host): (name: string, ...args: unknown[]) => unknown {
  return withoutPrototype((name: string, ...args: unknown[]) => {
    const spec = findHostCall(String(name));
    if (!spec) return `eE_TRAP\nunknown host call ${JSON.stringify(name)}`;
    const values = args.map((a, i): HostValue => {
      if (spec.args[i]?.type === "bytes") return latin1ToBytes(String(a));
      return typeof a === "number" || typeof a === "string" || typeof a === "boolean" ? a : null;
    });
    let result: HostValue | Promise<HostValue>;
    try {
      result = host.invoke(spec.name, values);
    } catch (e) {
      return encodeError(e);
    }
    return result instanceof Promise ? result.then(encode, encodeError) : encode(result);
  });
}

/**
 * A bridge function without a prototype, so `f.constructor` (JavaScript's `Function`, which
 * compiles any source) is not one attribute away from guest code holding it.
 */
export function withoutPrototype<F extends (...args: never[]) => unknown>(f: F): F {
  Object.setPrototypeOf(f, null);
  return f;
}

/** `time.sleep` for the guest: a promise the sandbox awaits with `run_sync`. */
export const sleeper: (ms: number) => Promise<void> = withoutPrototype((ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, 2 ** 31 - 1))))
);

/** How long after an ignored interrupt the next one comes. */
const REINTERRUPT_MS = 250;

/**
 * The deadline, checked by the interpreter itself: Pyodide reads element 0 of its "interrupt
 * buffer" every few thousand bytecodes (and clears it), so a buffer whose element 0 is a getter
 * answering SIGINT (2) once the deadline has passed makes Python raise `KeyboardInterrupt`
 * without any timer thread. A guest that swallows it is interrupted again every
 * {@link REINTERRUPT_MS} ms; one that still does not stop is ended by the sandbox's hard timeout.
 */
export function deadlineBuffer(deadline: number): { readonly 0: number } {
  let next = deadline;
  return {
    get 0() {
      const now = performance.now();
      if (now < next) return 0;
      next = now + REINTERRUPT_MS;
      return 2;
    },
    set 0(_cleared: number) {
      // Pyodide clears the flag after reading it; the getter decides from the clock instead.
    },
  };
}

/** The interpreter's linear memory, as Emscripten keeps it (`Module.memory`). */
interface GrowableMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * Caps the interpreter's memory at its current size plus `extraBytes`: a growth past it fails,
 * so the allocation fails and Python raises `MemoryError`. Returns the function that lifts the
 * cap again.
 */
export function capMemory(memory: GrowableMemory, extraBytes: number): () => void {
  const limit = memory.buffer.byteLength + extraBytes;
  const grow = Object.getPrototypeOf(memory).grow as (pages: number) => number;
  memory.grow = (pages: number) => {
    if (memory.buffer.byteLength + pages * 65536 > limit) {
      throw new RangeError("the run's memory limit does not allow this growth");
    }
    return grow.call(memory, pages);
  };
  return () => {
    delete (memory as Partial<GrowableMemory>).grow;
  };
}
