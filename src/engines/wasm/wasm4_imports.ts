/**
 * The `env` imports of the WASM-4 profile: drawing onto the framebuffer ({@link Wasm4Screen}),
 * `tone` onto the `sound.tone` host call, `trace*` onto `console.write`, and `diskr`/`diskw`
 * onto a 1 KiB save that persists to `wasm4.disk` in the first granted writable folder (through
 * the host's `fs.*` calls, so only under a write grant; without one it lasts the run).
 *
 * @module
 */
import { isPxosError } from "../../errors.ts";
import type { Host } from "../../host/host.ts";
import { DISK_BYTES } from "./wasm4_abi.ts";
import type { Wasm4Screen } from "./wasm4_screen.ts";

/** The `env` functions and which of them may wait (imported through JSPI). */
export interface Wasm4ImportObject {
  /** Functions by import name. */
  imports: Record<string, (...args: number[]) => unknown>;
  /** Names to import through `WebAssembly.Suspending`. */
  suspending: ReadonlySet<string>;
}

const utf8 = new TextDecoder();
const utf16 = new TextDecoder("utf-16le");

/** The save file's name inside the granted folder. */
export const DISK_FILE = "wasm4.disk";

/**
 * Builds the `env` functions for one run.
 *
 * @param screen the framebuffer
 * @param host the run's host
 * @param memory the cartridge's memory
 * @param saveDir the first writable granted folder (root-relative), if any
 */
export function createWasm4Imports(
  screen: Wasm4Screen,
  host: Host,
  memory: () => Uint8Array,
  saveDir: string | undefined,
): Wasm4ImportObject {
  const bytes = (ptr: number, len: number) => {
    const m = memory();
    const start = Math.min(ptr >>> 0, m.length);
    return m.subarray(start, Math.min(m.length, start + (len >>> 0)));
  };
  const cBytes = (ptr: number) => {
    const m = memory();
    const start = Math.min(ptr >>> 0, m.length);
    const end = m.indexOf(0, start);
    return m.subarray(start, end < 0 ? m.length : end);
  };
  const cString = (ptr: number) => utf8.decode(cBytes(ptr));
  const codePoints = (text: string) => Array.from(text, (ch) => ch.codePointAt(0)!);
  const sprite = (ptr: number) => memory().subarray(Math.min(ptr >>> 0, memory().length));
  const write = (text: string) => void host.invoke("console.write", [text]);
  const savePath = saveDir === undefined
    ? undefined
    : saveDir
    ? `${saveDir}/${DISK_FILE}`
    : DISK_FILE;
  let disk: Uint8Array = new Uint8Array(0);
  let diskLoaded = false;

  const imports: Record<string, (...args: number[]) => unknown> = {
    blit: (p, x, y, w, h, flags) => screen.blit(sprite(p), x, y, w, h, 0, 0, w, flags),
    blitSub: (p, x, y, w, h, sx, sy, stride, flags) =>
      screen.blit(sprite(p), x, y, w, h, sx, sy, stride, flags),
    line: (x1, y1, x2, y2) => screen.line(x1, y1, x2, y2),
    hline: (x, y, len) => screen.hline(x, y, len),
    vline: (x, y, len) => screen.vline(x, y, len),
    oval: (x, y, w, h) => screen.oval(x, y, w, h),
    rect: (x, y, w, h) => screen.rect(x, y, w, h),
    // `text` takes a NUL-terminated byte string, one character per byte (so `\x86` is the
    // up arrow, not a UTF-8 fragment); the other two decode their encodings.
    text: (p, x, y) => screen.text(cBytes(p), x, y),
    textUtf8: (p, len, x, y) => screen.text(codePoints(utf8.decode(bytes(p, len))), x, y),
    textUtf16: (p, len, x, y) => screen.text(codePoints(utf16.decode(bytes(p, len & ~1))), x, y),
    tone: (f, d, v, flags) => void host.invoke("sound.tone", [f, d, v, flags]),
    trace: (p) => write(`${cString(p)}\n`),
    traceUtf8: (p, len) => write(`${utf8.decode(bytes(p, len))}\n`),
    traceUtf16: (p, len) => write(`${utf16.decode(bytes(p, len & ~1))}\n`),
    tracef: (fmt, args) => write(`${formatTrace(cString(fmt), memory(), args >>> 0, cString)}\n`),
    // Older WASM-4 headers import these two from the runtime instead of compiling them in.
    memset: (dest, value, size) => {
      bytes(dest, size).fill(value & 0xff);
      return dest;
    },
    memcpy: (dest, src, size) => {
      const from = bytes(src, size).slice(); // a copy: the two may overlap
      const to = bytes(dest, from.length);
      to.set(from.subarray(0, to.length));
      return dest;
    },
    diskr: async (dest, size) => {
      if (!diskLoaded) {
        diskLoaded = true;
        disk = await readSave(host, savePath);
      }
      const n = Math.min(size >>> 0, disk.length, DISK_BYTES);
      const target = bytes(dest, n);
      target.set(disk.subarray(0, target.length));
      return target.length;
    },
    diskw: async (src, size) => {
      const data = bytes(src, Math.min(size >>> 0, DISK_BYTES)).slice();
      disk = data;
      diskLoaded = true;
      if (savePath !== undefined) {
        try {
          await host.invoke("fs.writeBytes", [savePath, data]);
        } catch (e) {
          if (!isPxosError(e)) throw e; // refused or failed: the save lasts this run
        }
      }
      return data.length;
    },
  };
  return { imports, suspending: new Set(["diskr", "diskw"]) };
}

async function readSave(host: Host, path: string | undefined): Promise<Uint8Array> {
  if (path === undefined) return new Uint8Array(0);
  try {
    const data = await host.invoke("fs.readBytes", [path]);
    return data instanceof Uint8Array ? data.subarray(0, DISK_BYTES) : new Uint8Array(0);
  } catch (e) {
    if (!isPxosError(e)) throw e;
    return new Uint8Array(0); // no save yet, or not readable: an empty disk
  }
}

/**
 * WASM-4's `tracef`: `%d` `%x` `%c` (an i32), `%f` (an f64, 8-aligned), `%s` (a pointer to a
 * NUL-terminated string), `%%`; arguments are read in order from `args` in memory.
 */
function formatTrace(
  fmt: string,
  m: Uint8Array,
  args: number,
  cString: (ptr: number) => string,
): string {
  const view = new DataView(m.buffer, m.byteOffset, m.byteLength);
  let at = args;
  const i32 = () => {
    const v = at + 4 <= m.length ? view.getInt32(at, true) : 0;
    at += 4;
    return v;
  };
  return fmt.replace(/%([dxcsf%])/g, (_all, kind: string) => {
    switch (kind) {
      case "d":
        return String(i32());
      case "x":
        return (i32() >>> 0).toString(16);
      case "c":
        return String.fromCharCode(i32() & 0xffff);
      case "s":
        return cString(i32());
      case "f": {
        at = (at + 7) & ~7;
        const v = at + 8 <= m.length ? view.getFloat64(at, true) : 0;
        at += 8;
        return String(v);
      }
      default:
        return "%";
    }
  });
}
