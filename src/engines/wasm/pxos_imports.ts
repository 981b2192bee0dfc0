/**
 * The `pxos` import object (made once per program and used run after run: see `run_kit.ts`):
 * each import decodes its arguments from guest memory as `pxos_abi.ts` describes, calls the
 * current run's host, and encodes the result. Host refusals become negative statuses the guest
 * can handle; `GuestExit` and anything unexpected go through.
 *
 * @module
 */
import { isPxosError, type PxosErrorCode } from "../../errors.ts";
import type { HostValue } from "../../host/calls.ts";
import type { Host } from "../../host/host.ts";
import { PXOS_STATUS, type PxosImport, pxosImports } from "./pxos_abi.ts";

const STATUS_BY_CODE: Partial<Record<PxosErrorCode, number>> = {
  E_PERMISSION: PXOS_STATUS.PERMISSION.value,
  E_IO: PXOS_STATUS.IO.value,
  E_NET: PXOS_STATUS.IO.value,
  E_TRAP: PXOS_STATUS.INVALID.value,
  E_MEMORY: PXOS_STATUS.MEMORY.value,
};

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/** Whether the host may answer this call only later (it is imported through JSPI then). */
function mayWait(spec: PxosImport): boolean {
  const { call } = spec;
  return call.permission === "read" || call.permission === "write" || call.permission === "net" ||
    call.name === "console.readLine" || call.name === "gfx.present";
}

/** The `pxos` functions and which of them may return a promise. */
export interface PxosImportObject {
  /** Functions by import name. */
  imports: Record<string, (...args: number[]) => unknown>;
  /** Names to import through `WebAssembly.Suspending`. */
  suspending: ReadonlySet<string>;
}

/**
 * Builds the `pxos` import functions.
 *
 * @param host the run's host (read at each call: a program's import set serves run after run)
 * @param memory the guest's memory (read at each call: it may have grown)
 * @param used import names the module has (default: all): only these are built
 */
export function createPxosImports(
  host: () => Host,
  memory: () => WebAssembly.Memory,
  used?: ReadonlySet<string>,
): PxosImportObject {
  const imports: Record<string, (...args: number[]) => unknown> = {};
  const suspending = new Set<string>();
  for (const spec of pxosImports()) {
    if (used && !used.has(spec.name)) continue;
    const decode = (raw: number[]): HostValue[] => {
      const values: HostValue[] = [];
      let i = 0;
      for (const arg of spec.call.args) {
        if (arg.type === "string" || arg.type === "bytes") {
          const bytes = guestBytes(memory(), raw[i], raw[i + 1]);
          values.push(arg.type === "string" ? utf8.decode(bytes) : bytes.slice());
          i += 2;
        } else {
          values.push(arg.type === "bool" ? raw[i] !== 0 : raw[i]);
          i += 1;
        }
      }
      return values;
    };
    const encode = (value: HostValue, raw: number[]): number => {
      if (spec.result === "f64") return Number(value);
      if (spec.buffered) {
        if (value === null) return PXOS_STATUS.END.value;
        const bytes = value instanceof Uint8Array ? value : encoder.encode(String(value));
        const [ptr, cap] = raw.slice(-2);
        const room = guestBytes(memory(), ptr, Math.max(0, Math.min(cap, bytes.length)));
        room.set(bytes.subarray(0, room.length));
        return bytes.length;
      }
      return value === true ? 1 : typeof value === "number" ? value | 0 : 0;
    };
    const statusOf = (e: unknown): number => {
      if (isPxosError(e)) return STATUS_BY_CODE[e.code] ?? PXOS_STATUS.FAILED.value;
      throw e;
    };
    const call = (raw: number[]) => {
      try {
        const answer = host().invoke(spec.call.name, decode(raw));
        if (answer instanceof Promise) {
          return answer.then((v) => encode(v, raw), statusOf);
        }
        return encode(answer, raw);
      } catch (e) {
        return statusOf(e);
      }
    };
    imports[spec.name] = (...raw: number[]) => call(raw);
    if (mayWait(spec)) suspending.add(spec.name);
  }
  return { imports, suspending };
}

/** `len` bytes of guest memory at `ptr`; a range outside memory is a trap like a bad load. */
function guestBytes(memory: WebAssembly.Memory, ptr: number, len: number): Uint8Array {
  const p = ptr >>> 0;
  const n = len >>> 0;
  if (p + n > memory.buffer.byteLength) {
    throw new WebAssembly.RuntimeError(
      `pxos import: range ${p}+${n} is outside the ${memory.buffer.byteLength}-byte memory`,
    );
  }
  return new Uint8Array(memory.buffer, p, n);
}
