/**
 * `HOST_CALL id`: maps PixelVM's stack convention onto the shared host-call table
 * (`src/host/calls.ts`). Arguments are popped (last argument on top), results pushed. Calls that
 * can be refused push one result, so a denial is a value the guest can test, never a crash:
 * `E_PERMISSION` becomes -1, a missing file or other file error (`E_IO`, `E_PATH`) -2, a network
 * failure (`E_NET`) -3. Other errors, and `GuestExit`, pass through.
 *
 * @module
 */
import { isPxosError } from "../../errors.ts";
import type { Host } from "../../host/host.ts";
import type { HostValue } from "../../host/calls.ts";
import type { DecodedProgram } from "./decode.ts";
import { trap, type VmState } from "./state.ts";

/** Result pushed when the host denies a call. */
export const HOST_DENIED = -1;
/** Result pushed when a file is missing or a file operation fails. */
export const HOST_NOT_FOUND = -2;
/** Result pushed when a network request fails. */
export const HOST_NET_ERROR = -3;

/** Error codes that are answers, not faults: what the guest gets for each. */
type Failures = Readonly<Record<string, number>>;
const FILE_FAILURES: Failures = { E_IO: HOST_NOT_FOUND, E_PATH: HOST_NOT_FOUND };
// E_NET comes from the host's network layer; compared by name so this file needs no newer table.
const NET_FAILURES: Failures = { E_NET: HOST_NET_ERROR, E_IO: HOST_NET_ERROR };

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Pops one value, trapping on underflow. */
export function pop(p: DecodedProgram, st: VmState): number {
  if (st.sp < 1) throw trap(p, st, "stack underflow");
  return st.stack[--st.sp];
}

/** Pushes one value, trapping on overflow. */
export function push(p: DecodedProgram, st: VmState, v: number): void {
  if (st.sp >= st.stack.length) throw trap(p, st, `stack overflow (${st.stack.length} slots)`);
  st.stack[st.sp++] = v;
}

/** Checks that [addr, addr+len) lies in memory; traps otherwise. */
function memRange(p: DecodedProgram, st: VmState, addr: number, len: number): void {
  if (addr < 0 || len < 0 || addr + len > st.mem8.length) {
    throw trap(
      p,
      st,
      `memory range ${addr}+${len} is outside memory (0–${st.mem8.length - 1})`,
    );
  }
}

/** Copies `bytes` into memory at `dst`, at most `max`; returns the count stored. */
function storeBytes(
  p: DecodedProgram,
  st: VmState,
  bytes: Uint8Array,
  dst: number,
  max: number,
): number {
  const n = Math.min(bytes.length, Math.max(0, max));
  memRange(p, st, dst, n);
  st.mem8.set(bytes.subarray(0, n), dst);
  return n;
}

/** Runs a host call that may fail; maps a denial or a listed failure onto a result code. */
async function guarded(
  call: () => HostValue | Promise<HostValue>,
  onValue: (v: HostValue) => number,
  failures: Failures = FILE_FAILURES,
): Promise<number> {
  let value: HostValue;
  try {
    value = await call();
  } catch (e) {
    if (isPxosError(e, "E_PERMISSION")) return HOST_DENIED;
    if (isPxosError(e) && Object.hasOwn(failures, e.code)) return failures[e.code];
    throw e;
  }
  // Outside the try: a memory trap while storing the answer is the guest's fault, not the host's.
  return onValue(value);
}

/** The UTF-8 text of memory[addr..addr+len) (a path or URL), trapping outside memory. */
function memText(p: DecodedProgram, st: VmState, addr: number, len: number): string {
  memRange(p, st, addr, len);
  return decoder.decode(st.mem8.subarray(addr, addr + len));
}

/** A host answer as bytes (a host may answer with text). */
function asBytes(v: HostValue): Uint8Array {
  return v instanceof Uint8Array ? v : encoder.encode(String(v ?? ""));
}

/**
 * `(name len dst max -- n)`: asks the host (`call`, with `args` of the text at
 * memory[name..name+len)) for bytes and stores them at `dst`, cut at `max` bytes; pushes the
 * count stored, or the failure code.
 */
async function readInto(
  p: DecodedProgram,
  st: VmState,
  host: Host,
  call: string,
  args: (name: string) => HostValue[],
  failures?: Failures,
): Promise<void> {
  const max = pop(p, st);
  const dst = pop(p, st);
  const len = pop(p, st);
  const name = memText(p, st, pop(p, st), len);
  const n = await guarded(
    () => host.invoke(call, args(name)),
    (v) => storeBytes(p, st, asBytes(v), dst, max),
    failures,
  );
  push(p, st, n);
}

/** Performs `HOST_CALL id` on `st` (the caller has already verified that `id` exists). */
export async function hostCall(
  p: DecodedProgram,
  st: VmState,
  host: Host,
  id: number,
): Promise<void> {
  switch (id) {
    case 0: {
      if (st.sp < 1) throw trap(p, st, "stack underflow");
      await host.invoke("console.write", [`${st.stack[st.sp - 1]}\n`]);
      return;
    }
    case 1:
    case 2: {
      const len = pop(p, st);
      const addr = pop(p, st);
      memRange(p, st, addr, len);
      const text = decoder.decode(st.mem8.subarray(addr, addr + len));
      await host.invoke(id === 1 ? "console.write" : "console.error", [text]);
      return;
    }
    case 3:
      await host.invoke("console.write", [String(pop(p, st))]);
      return;
    case 4: {
      const c = pop(p, st);
      const ok = c >= 0 && c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff);
      await host.invoke("console.write", [String.fromCodePoint(ok ? c : 0xfffd)]);
      return;
    }
    case 5: {
      const max = pop(p, st);
      const addr = pop(p, st);
      const n = await guarded(() => host.invoke("console.readLine", []), (v) => {
        if (v === null) return -1;
        return storeBytes(p, st, encoder.encode(String(v)), addr, max);
      });
      push(p, st, n);
      return;
    }
    case 6:
      return await readInto(p, st, host, "cart.read", (name) => [name]);
    case 7:
      push(
        p,
        st,
        await guarded(() => host.invoke("clock.now", []), (v) => Math.floor(Number(v) / 1000) | 0),
      );
      return;
    case 8:
      push(
        p,
        st,
        await guarded(() => host.invoke("clock.monotonic", []), (v) => Math.floor(Number(v)) | 0),
      );
      return;
    case 9:
      push(
        p,
        st,
        await guarded(() => host.invoke("random.bytes", [4]), (v) => {
          const b = v instanceof Uint8Array ? v : new Uint8Array(4);
          return b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
        }),
      );
      return;
    case 10: {
      const code = pop(p, st);
      await host.invoke("process.exit", [code & 0xff]);
      return;
    }
    case 11:
      return await readInto(p, st, host, "fs.readBytes", (name) => [name]);
    case 12: {
      const n = pop(p, st);
      const src = pop(p, st);
      const len = pop(p, st);
      const name = memText(p, st, pop(p, st), len);
      memRange(p, st, src, n);
      const data = st.mem8.slice(src, src + n); // a copy: the host may keep it
      push(p, st, await guarded(() => host.invoke("fs.writeBytes", [name, data]), () => 0));
      return;
    }
    case 13: {
      const len = pop(p, st);
      const name = memText(p, st, pop(p, st), len);
      push(p, st, await guarded(() => host.invoke("fs.exists", [name]), (v) => (v ? 1 : 0)));
      return;
    }
    case 14:
      return await readInto(p, st, host, "net.fetch", (url) => ["GET", url, "", ""], NET_FAILURES);
    case 15: {
      const player = pop(p, st);
      push(p, st, Number(await host.invoke("input.gamepad", [player & 3])) | 0);
      return;
    }
    case 16:
      for (const call of ["input.mouseX", "input.mouseY", "input.mouseButtons"]) {
        push(p, st, Number(await host.invoke(call, [])) | 0);
      }
      return;
    case 17:
      push(p, st, Number(await host.invoke("frame.count", [])) | 0);
      return;
    case 18: {
      const flags = pop(p, st);
      const volume = pop(p, st);
      const duration = pop(p, st);
      const frequency = pop(p, st);
      await host.invoke("sound.tone", [frequency, duration, volume, flags]);
      return;
    }
    default:
      throw trap(p, st, `unknown host-call id ${id}`);
  }
}
