/**
 * The pxVM interpreter: a dispatch loop over the pre-decoded table of `decode.ts`, with fuel,
 * a deadline, imperfect-mode warnings and strict-mode traps.
 *
 * @module
 */
import { PxosError } from "../../errors.ts";
import type { Host } from "../../host/host.ts";
import { DEADLINE_CHECK_INTERVAL, deadlineFor, type Limits } from "../../host/limits.ts";
import type { ProfileSection, RunOptions, RunResult } from "../engine.ts";
import { fuelExhausted } from "../limit_errors.ts";
import { labelAt } from "../source_map.ts";
import { pxvmPlace } from "./places.ts";
import { H_BAD, H_END, H_TRUNCATED, H_WARN, hex4, type PxvmProgram, STRIDE } from "./decode.ts";
import { MEMORY_SIZE, REGISTER_COUNT } from "./isa.ts";
import { formatInstruction } from "./disassembler.ts";
import { compileFast, EXIT_HALT, FAST_SLICE, type FastState } from "./jit.ts";
import { doSyscall } from "./syscalls.ts";
import { runFrames } from "../frame_loop.ts";

/** The most warning lines one run prints; then one line says the rest are suppressed. */
export const MAX_WARNINGS = 100;

/** Run-time state shared with the syscall handlers. */
export class Machine {
  /** R0–R7 plus the null register (index 8) that stands in for bad register operands. */
  readonly regs: Int32Array = new Int32Array(REGISTER_COUNT + 1);
  /** 64 KiB of memory, the program at address 0. */
  readonly mem: Uint8Array = new Uint8Array(MEMORY_SIZE);
  /** Little-endian view of {@link mem}. */
  readonly view: DataView = new DataView(this.mem.buffer);
  /** Strict mode: imperfections trap instead of warning. */
  readonly strict: boolean;
  /** Where host calls go. */
  readonly host: Host;
  /** Address of the instruction being run (for messages). */
  pc = 0;
  /** Whether the seed layers were created on the host yet. */
  seedLayersReady = false;
  /** The update routine's address, once `ON_UPDATE` declared one. */
  updateAddress: number | undefined;
  #warnings = 0;

  /** The program (for source places in messages). */
  readonly program: PxvmProgram;

  constructor(program: PxvmProgram, host: Host, strict: boolean) {
    this.program = program;
    this.mem.set(program.image);
    this.host = host;
    this.strict = strict;
  }

  /**
   * An imperfection: a `# WARNING: …` line in imperfect mode (execution continues with the safe
   * default the caller applies), an `E_TRAP` in strict mode.
   */
  async imperfect(message: string): Promise<void> {
    const place = pxvmPlace(this.program, this.pc);
    const where = `at ${place.doing}: ${message}`;
    if (this.strict) {
      throw new PxosError("E_TRAP", `${where} (strict mode)`, {
        file: place.file,
        line: place.line,
        details: { pc: this.pc },
      });
    }
    this.#warnings++;
    if (this.#warnings > MAX_WARNINGS + 1) return;
    // A warning is not an error with a location prefix: it names the source line itself.
    const source = place.line !== undefined ? ` (${place.file}:${place.line})` : "";
    const line = this.#warnings > MAX_WARNINGS
      ? "# WARNING: more warnings suppressed\n"
      : `# WARNING: at ${place.doing}${source}: ${message}\n`;
    const done = this.host.invoke("console.write", [line]);
    if (done instanceof Promise) await done;
  }

  /** A fault with no safe default: always `E_TRAP`. */
  trap(message: string): never {
    const place = pxvmPlace(this.program, this.pc);
    throw new PxosError("E_TRAP", `at ${place.doing}: ${message}`, {
      file: place.file,
      line: place.line,
      details: { pc: this.pc },
    });
  }
}

/** Checks a memory access; returns false (after warning) when it must be skipped. */
async function memoryOk(m: Machine, addr: number, size: number, what: string): Promise<boolean> {
  if (addr >= 0 && addr + size <= MEMORY_SIZE) return true;
  await m.imperfect(
    `${what} of ${size} byte(s) at 0x${(addr >>> 0).toString(16)} outside memory 0–0xffff`,
  );
  return false;
}

/** Interpreter state that survives between calls (the fast tier reads and writes it too). */
interface RunState extends FastState {
  /** Fuel not yet charged. */
  fuelLeft: number;
  /** Instructions until the next deadline check. */
  untilCheck: number;
  /** Absolute deadline. */
  deadline: number;
  /** Set when the program ended. */
  halted: boolean;
  /** The exit code once halted. */
  exitCode: number;
  /** Set when the program ended through `EXIT` (not `HALT`): no more frames. */
  exited: boolean;
}

/**
 * Runs a loaded program: the fast tier (see `jit.ts`) when no trace or profile is asked and
 * `flags.jit` is not `false`; the interpreter for everything the fast tier bails on.
 *
 * @param program the loaded program
 * @param host the host for syscalls
 * @param limits fuel and deadline
 * @param options `flags.strict`, `flags.jit`, `trace`, `profile`
 */
export async function runProgram(
  program: PxvmProgram,
  host: Host,
  limits: Limits,
  options: RunOptions = {},
): Promise<RunResult> {
  const m = new Machine(program, host, options.flags?.strict === true);
  const fuel = Math.max(0, Math.floor(limits.fuel));
  const st: RunState = {
    regs: m.regs,
    ip: program.indexOf[program.entry],
    sp: MEMORY_SIZE,
    flag: 0,
    budget: 0,
    fuelLeft: fuel,
    untilCheck: DEADLINE_CHECK_INTERVAL,
    deadline: deadlineFor(limits),
    halted: false,
    exitCode: 0,
    exited: false,
  };
  const counts = options.profile ? new Float64Array(program.instructions.length + 1) : undefined;
  const slow = options.trace !== undefined || counts !== undefined ||
    options.flags?.jit === false;
  const fast = slow ? undefined : compileFast(program);
  const execute = async () => {
    if (!fast) return await interpret(m, program, st, limits, undefined, options.trace, counts);
    while (!st.halted) {
      if (fast.leaders[st.ip]) {
        const given = Math.min(FAST_SLICE, st.fuelLeft);
        st.budget = given;
        const exit = fast.run(st, m.mem, m.view, program.indexOf);
        const used = given - st.budget;
        st.fuelLeft -= used;
        if (exit === EXIT_HALT) break;
        if (performance.now() > st.deadline) throw timeout(m, limits);
      }
      await interpret(m, program, st, limits, fast.leaders, undefined, undefined);
    }
  };
  await execute();
  const update = m.updateAddress;
  if (options.frameLoop && update !== undefined && !st.exited) {
    // Each frame runs the update routine from its label to a HALT, on a fresh stack.
    await runFrames(options.frameLoop, async () => {
      st.ip = program.indexOf[update];
      st.sp = MEMORY_SIZE;
      st.halted = false;
      await execute();
      return !st.exited;
    });
  }
  return {
    exitCode: st.exitCode,
    fuelUsed: fuel - st.fuelLeft,
    profile: counts ? profileOf(program, counts) : undefined,
  };
}

function timeout(m: Machine, limits: Limits): PxosError {
  const place = pxvmPlace(m.program, m.pc);
  return new PxosError("E_TIMEOUT", `ran past the ${limits.timeoutMs} ms deadline`, {
    file: place.file,
    line: place.line,
    details: { pc: m.pc },
  });
}

/**
 * The interpreter. Runs from `st.ip` until the program ends or, when `stopAt` is given, until
 * it has run at least one instruction and stands on a fast-tier block leader.
 */
async function interpret(
  m: Machine,
  program: PxvmProgram,
  st: RunState,
  limits: Limits,
  stopAt: Uint8Array | undefined,
  trace: ((line: string) => void) | undefined,
  counts: Float64Array | undefined,
): Promise<void> {
  const { regs, mem, view } = m;
  const code = program.code;
  const indexOf = program.indexOf;
  const instructions = program.instructions;
  const observe = trace !== undefined || counts !== undefined;
  let { sp, flag, ip } = st;
  let ran = false;
  try {
    run: for (;;) {
      if (stopAt !== undefined && ran && stopAt[ip]) return;
      ran = true;
      if (st.fuelLeft <= 0) {
        m.pc = pcOf(program, ip);
        throw fuelExhausted(limits.fuel, pxvmPlace(program, m.pc), { pc: m.pc });
      }
      st.fuelLeft--;
      if (--st.untilCheck <= 0) {
        st.untilCheck = DEADLINE_CHECK_INTERVAL;
        if (performance.now() > st.deadline) throw timeout(m, limits);
      }
      const base = ip * STRIDE;
      let h = code[base];
      if (observe) {
        if (counts) counts[ip]++;
        if (trace) trace(traceLine(program, ip, regs, sp, flag));
      }
      m.pc = pcOf(program, ip);
      if (h > 0xff) {
        if (h === H_END) {
          await m.imperfect("ran past the end of the program without HALT");
          break run;
        }
        if (h === H_TRUNCATED) {
          await m.imperfect(instructions[ip].problem ?? "truncated instruction");
          break run;
        }
        if (h === H_BAD) {
          await m.imperfect(`${instructions[ip].problem}; skipped`);
          ip++;
          continue;
        }
        // A bad register operand: warn, then run with the null register standing in.
        await m.imperfect(`${instructions[ip].problem}; it reads 0 and writes nowhere`);
        regs[REGISTER_COUNT] = 0;
        h &= ~H_WARN;
      }
      const a = code[base + 1];
      const b = code[base + 2];
      const c = code[base + 3];
      switch (h) {
        case 0x00: // HALT
          break run;
        case 0x01: // NOP
          ip++;
          continue;
        case 0x10: // IMM8
        case 0x11: // IMM32
          regs[a] = b;
          ip++;
          continue;
        case 0x20: // MOV
          regs[a] = regs[b];
          ip++;
          continue;
        case 0x30:
          regs[a] = (regs[b] + regs[c]) | 0;
          ip++;
          continue;
        case 0x31:
          regs[a] = (regs[b] - regs[c]) | 0;
          ip++;
          continue;
        case 0x32:
          regs[a] = Math.imul(regs[b], regs[c]);
          ip++;
          continue;
        case 0x33: // DIV
        case 0x34: // MOD
          if (regs[c] === 0) {
            m.pc = instructions[ip].pc;
            await m.imperfect("division by zero; the result is 0");
            regs[a] = 0;
          } else if (h === 0x33) {
            regs[a] = (regs[b] / regs[c]) | 0;
          } else {
            regs[a] = regs[b] % regs[c] | 0;
          }
          ip++;
          continue;
        case 0x35:
          regs[a] = regs[b] & regs[c];
          ip++;
          continue;
        case 0x36:
          regs[a] = regs[b] | regs[c];
          ip++;
          continue;
        case 0x37:
          regs[a] = regs[b] ^ regs[c];
          ip++;
          continue;
        case 0x38:
          regs[a] = regs[b] << (regs[c] & 31);
          ip++;
          continue;
        case 0x39:
          regs[a] = regs[b] >>> (regs[c] & 31);
          ip++;
          continue;
        case 0x3a:
          regs[a] = regs[b] >> (regs[c] & 31);
          ip++;
          continue;
        case 0x3b:
          regs[a] = ~regs[b];
          ip++;
          continue;
        case 0x3c: // ADDI
          regs[a] = (regs[a] + b) | 0;
          ip++;
          continue;
        case 0x40: // CMP
          flag = regs[a] < regs[b] ? -1 : regs[a] > regs[b] ? 1 : 0;
          ip++;
          continue;
        case 0x41: { // CMPU
          const x = regs[a] >>> 0;
          const y = regs[b] >>> 0;
          flag = x < y ? -1 : x > y ? 1 : 0;
          ip++;
          continue;
        }
        case 0x50:
          ip = a;
          continue;
        case 0x51:
          ip = flag === 0 ? a : ip + 1;
          continue;
        case 0x52:
          ip = flag !== 0 ? a : ip + 1;
          continue;
        case 0x53:
          ip = flag < 0 ? a : ip + 1;
          continue;
        case 0x54:
          ip = flag <= 0 ? a : ip + 1;
          continue;
        case 0x55:
          ip = flag > 0 ? a : ip + 1;
          continue;
        case 0x56:
          ip = flag >= 0 ? a : ip + 1;
          continue;
        case 0x57:
          ip = regs[a] === 0 ? b : ip + 1;
          continue;
        case 0x58:
          ip = regs[a] !== 0 ? b : ip + 1;
          continue;
        case 0x59: // CALL (b holds the return address)
          m.pc = instructions[ip].pc;
          if (sp < 4) m.trap("stack overflow on CALL");
          sp -= 4;
          view.setUint32(sp, b, true);
          ip = a;
          continue;
        case 0x5a: { // RET
          m.pc = instructions[ip].pc;
          if (sp > MEMORY_SIZE - 4) m.trap("stack underflow on RET (empty stack)");
          const addr = view.getUint32(sp, true);
          sp += 4;
          const target = addr < indexOf.length ? indexOf[addr] : -1;
          if (target < 0) m.trap(`RET to 0x${addr.toString(16)}, which is no instruction`);
          ip = target;
          continue;
        }
        case 0x5b: // PUSH
          m.pc = instructions[ip].pc;
          if (sp < 4) m.trap("stack overflow on PUSH");
          sp -= 4;
          view.setInt32(sp, regs[a], true);
          ip++;
          continue;
        case 0x5c: // POP
          m.pc = instructions[ip].pc;
          if (sp > MEMORY_SIZE - 4) m.trap("stack underflow on POP");
          regs[a] = view.getInt32(sp, true);
          sp += 4;
          ip++;
          continue;
        case 0x60:
        case 0x61:
        case 0x62: {
          const addr = regs[b];
          const size = h === 0x60 ? 1 : h === 0x61 ? 2 : 4;
          if (addr >= 0 && addr + size <= MEMORY_SIZE) {
            regs[a] = size === 1
              ? mem[addr]
              : size === 2
              ? view.getUint16(addr, true)
              : view.getInt32(addr, true);
          } else {
            m.pc = instructions[ip].pc;
            await memoryOk(m, addr, size, "load");
            regs[a] = 0;
          }
          ip++;
          continue;
        }
        case 0x63:
        case 0x64:
        case 0x65: {
          const addr = regs[a];
          const size = h === 0x63 ? 1 : h === 0x64 ? 2 : 4;
          m.pc = instructions[ip].pc;
          if (await memoryOk(m, addr, size, "store")) {
            if (size === 1) mem[addr] = regs[b];
            else if (size === 2) view.setUint16(addr, regs[b], true);
            else view.setInt32(addr, regs[b], true);
          }
          ip++;
          continue;
        }
        case 0xf0: { // SYSCALL
          m.pc = instructions[ip].pc;
          regs[0] = a;
          const result = doSyscall(m, a);
          if (result instanceof Promise) {
            const exit = await result;
            if (exit !== undefined) {
              st.exitCode = exit;
              st.exited = true;
              break run;
            }
          } else if (result !== undefined) {
            st.exitCode = result;
            st.exited = true;
            break run;
          }
          ip++;
          continue;
        }
        default:
          // Unreachable: decode only emits opcodes of the table.
          m.trap(`no handler for opcode 0x${h.toString(16)}`);
      }
    }
    st.halted = true;
  } finally {
    st.sp = sp;
    st.flag = flag;
    st.ip = ip;
  }
}

function pcOf(program: PxvmProgram, ip: number): number {
  return ip < program.instructions.length ? program.instructions[ip].pc : program.image.length;
}

function traceLine(
  program: PxvmProgram,
  ip: number,
  regs: Int32Array,
  sp: number,
  flag: number,
): string {
  const ins = program.instructions[ip];
  const text = ins ? formatInstruction(ins, (addr) => labelAt(program.sourceMap, addr)) : "(end)";
  const pc = ins ? ins.pc : program.image.length;
  const r = Array.from(regs.subarray(0, REGISTER_COUNT), (v, i) => `R${i}=${v}`).join(" ");
  return `${hex4(pc)}  ${text.padEnd(24)} ${r} SP=${hex4(sp)} F=${flag}`;
}

function profileOf(program: PxvmProgram, counts: Float64Array): ProfileSection[] {
  const byOp = new Map<string, number>();
  const byPc: { name: string; count: number }[] = [];
  counts.forEach((n, i) => {
    if (n === 0) return;
    const ins = program.instructions[i];
    const name = ins?.spec?.mnemonic ?? (ins ? "BAD" : "END");
    byOp.set(name, (byOp.get(name) ?? 0) + n);
    byPc.push({ name: `0x${hex4(ins ? ins.pc : program.image.length)} ${name}`, count: n });
  });
  const sorted = (rows: { name: string; count: number }[]) =>
    rows.sort((x, y) => y.count - x.count || x.name.localeCompare(y.name));
  return [
    { title: "opcodes", rows: sorted([...byOp].map(([name, count]) => ({ name, count }))) },
    { title: "pcs", rows: sorted(byPc) },
  ];
}
