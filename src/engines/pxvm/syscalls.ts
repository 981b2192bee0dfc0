/**
 * pxVM syscalls: each row of `SYSCALLS` mapped onto the shared host-call table. Arguments come
 * from R1–R7; a result goes to R0. Unknown numbers and ids follow imperfect mode (a warning and a
 * safe default) or trap in strict mode.
 *
 * @module
 */
import { isPxosError } from "../../errors.ts";
import { GuestExit } from "../../host/host.ts";
import type { HostValue } from "../../host/calls.ts";
import {
  MEMORY_SIZE,
  SEED_COLORS,
  SEED_LAYERS,
  SEED_MESSAGES,
  SYSCALL_BY_NUM,
  UNKNOWN_COLOR,
} from "./isa.ts";
import type { Machine } from "./vm.ts";

const decoder = new TextDecoder();

/**
 * Calls the host. A denial (`E_PERMISSION`) is the guest's to handle: R0 = -1. A gfx semantic
 * error (`E_TRAP` such as an unknown layer) is an imperfection. Exits and everything else pass.
 */
async function call(m: Machine, name: string, args: HostValue[]): Promise<HostValue> {
  try {
    const result = m.host.invoke(name, args);
    return result instanceof Promise ? await result : result;
  } catch (e) {
    if (e instanceof GuestExit) throw e;
    if (isPxosError(e, "E_PERMISSION")) {
      m.regs[0] = -1;
      return null;
    }
    if (isPxosError(e, "E_TRAP") && name.startsWith("gfx.")) {
      await m.imperfect(`${name}: ${e.message}; ignored`);
      return null;
    }
    throw e;
  }
}

/** Reads `len` bytes of UTF-8 at `addr`, clipped to memory (with a warning) when outside. */
async function readString(m: Machine, addr: number, len: number): Promise<string> {
  let start = addr;
  let end = addr + len;
  if (addr < 0 || len < 0 || end > MEMORY_SIZE) {
    await m.imperfect(
      `string at 0x${(addr >>> 0).toString(16)} of ${len} bytes is outside memory; clipped`,
    );
    start = Math.min(Math.max(addr, 0), MEMORY_SIZE);
    end = Math.min(Math.max(end, start), MEMORY_SIZE);
    if (len < 0) end = start;
  }
  return decoder.decode(m.mem.subarray(start, end));
}

async function seedColor(m: Machine, id: number): Promise<number> {
  const color = SEED_COLORS.get(id);
  if (color) return color.rgba;
  await m.imperfect(`unknown color id ${id}; using magenta`);
  return UNKNOWN_COLOR;
}

async function seedMessage(m: Machine, id: number): Promise<string | undefined> {
  const text = SEED_MESSAGES.get(id);
  if (text === undefined) await m.imperfect(`unknown message id ${id}; nothing shown`);
  return text;
}

/**
 * Creates the seed's four layers on first use of a seed drawing call. Layers that already exist
 * (a program made its own "vm") are kept.
 */
async function ensureSeedLayers(m: Machine): Promise<void> {
  if (m.seedLayersReady) return;
  m.seedLayersReady = true;
  for (const { name, z } of SEED_LAYERS.values()) {
    try {
      const r = m.host.invoke("gfx.layerNew", [name, z]);
      if (r instanceof Promise) await r;
    } catch (e) {
      if (!isPxosError(e, "E_TRAP")) throw e;
    }
  }
}

/**
 * Performs syscall `num`. Resolves to an exit code when the program ends through it, else
 * `undefined`.
 */
export async function doSyscall(m: Machine, num: number): Promise<number | undefined> {
  const r = m.regs;
  const spec = SYSCALL_BY_NUM.get(num);
  if (!spec) {
    await m.imperfect(`unknown syscall ${num}; ignored`);
    return undefined;
  }
  switch (spec.name) {
    case "PRINT_ID": {
      const text = await seedMessage(m, r[1]);
      if (text !== undefined) await call(m, "console.write", [`${text}\n`]);
      return undefined;
    }
    case "RECT_ID": {
      await ensureSeedLayers(m);
      const color = await seedColor(m, r[5]);
      await call(m, "gfx.rect", [r[1], r[2], r[3], r[4], color]);
      return undefined;
    }
    case "TEXT_ID": {
      await ensureSeedLayers(m);
      const color = await seedColor(m, r[3]);
      const text = await seedMessage(m, r[4]);
      if (text !== undefined) await call(m, "gfx.text", [r[1], r[2], color, text]);
      return undefined;
    }
    case "LAYER_USE_ID": {
      const layer = SEED_LAYERS.get(r[1]);
      if (!layer) {
        await m.imperfect(`unknown layer id ${r[1]}; staying on the current layer`);
        return undefined;
      }
      await ensureSeedLayers(m);
      await call(m, "gfx.layerUse", [layer.name]);
      return undefined;
    }
    case "PRINT":
      await call(m, "console.write", [await readString(m, r[1], r[2])]);
      return undefined;
    case "PRINT_INT":
      await call(m, "console.write", [`${r[1]}\n`]);
      return undefined;
    case "RECT":
      await call(m, "gfx.rect", [r[1], r[2], r[3], r[4], r[5] >>> 0]);
      return undefined;
    case "PIXEL":
      await call(m, "gfx.pixel", [r[1], r[2], r[3] >>> 0]);
      return undefined;
    case "LINE":
      await call(m, "gfx.line", [r[1], r[2], r[3], r[4], r[5] >>> 0]);
      return undefined;
    case "CLEAR":
      await call(m, "gfx.clear", [r[1] >>> 0]);
      return undefined;
    case "TEXT": {
      const text = await readString(m, r[4], r[5]);
      await call(m, "gfx.text", [r[1], r[2], r[3] >>> 0, text]);
      return undefined;
    }
    case "CIRCLE":
      await call(m, "gfx.circle", [r[1], r[2], r[3], r[4] >>> 0, r[5] !== 0]);
      return undefined;
    case "LAYER_NEW":
      await call(m, "gfx.layerNew", [await readString(m, r[1], r[2]), r[3]]);
      return undefined;
    case "LAYER_USE":
      await call(m, "gfx.layerUse", [await readString(m, r[1], r[2])]);
      return undefined;
    case "LAYER_DELETE":
      await call(m, "gfx.layerDelete", [await readString(m, r[1], r[2])]);
      return undefined;
    case "PRESENT":
      await call(m, "gfx.present", []);
      return undefined;
    case "CLOCK": {
      const ms = await call(m, "clock.monotonic", []);
      r[0] = typeof ms === "number" ? Math.floor(ms) | 0 : -1;
      return undefined;
    }
    case "EXIT":
      return r[1] & 0xff;
    case "CANVAS":
      await call(m, "gfx.canvas", [r[1], r[2]]);
      return undefined;
    default:
      return await playSyscall(m, spec.name);
  }
}

/** The play syscalls (frame loop, input, sound). */
async function playSyscall(m: Machine, name: string): Promise<undefined> {
  const r = m.regs;
  const int = async (hostCall: string, args: HostValue[] = []) => {
    const v = await call(m, hostCall, args);
    return typeof v === "number" ? v | 0 : 0;
  };
  switch (name) {
    case "ON_UPDATE":
      if (r[1] < 0 || r[1] >= m.program.image.length || m.program.indexOf[r[1]] < 0) {
        await m.imperfect(
          `ON_UPDATE: 0x${(r[1] >>> 0).toString(16)} is not an instruction of the program; ignored`,
        );
      } else m.updateAddress = r[1];
      return undefined;
    case "GAMEPAD":
      r[0] = await int("input.gamepad", [r[1] & 3]);
      return undefined;
    case "MOUSE":
      r[0] = await int("input.mouseX");
      r[1] = await int("input.mouseY");
      r[2] = await int("input.mouseButtons");
      return undefined;
    case "FRAME":
      r[0] = await int("frame.count");
      return undefined;
    case "KEYS": {
      const text = String(await call(m, "input.keys", []) ?? "");
      const bytes = new TextEncoder().encode(text);
      const cap = Math.max(0, Math.min(r[2], bytes.length));
      if (r[1] < 0 || r[1] + cap > MEMORY_SIZE) {
        await m.imperfect(`KEYS: buffer at 0x${(r[1] >>> 0).toString(16)} is outside memory`);
        return undefined;
      }
      m.mem.set(bytes.subarray(0, cap), r[1]);
      r[0] = cap;
      return undefined;
    }
    case "TONE":
      await call(m, "sound.tone", [r[1], r[2], r[3], r[4]]);
      return undefined;
    default:
      await m.imperfect(`syscall ${name} has no handler; ignored`);
      return undefined;
  }
}
