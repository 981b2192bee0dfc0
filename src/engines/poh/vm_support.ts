/**
 * Pieces of the PohLang VM kept out of its dispatch loop: loaded-function form, closures and
 * cells, run-time error helpers, and the `--trace` / `--profile` observer.
 *
 * @module
 */
import type { ProfileSection } from "../../engines/engine.ts";
import { OP_BY_CODE } from "./isa.ts";
import { lineAt, type PohModule, type PohProto } from "./module.ts";
import { checkArity, checkCallDepth } from "./exec_common.ts";
import { PohFunction, toText, type Value } from "./values.ts";
import type { CompiledFn } from "./jit_runtime.ts";

/** The "no value yet" marker in local and global slots (never visible to the guest). */
export const UNSET: Value = Object.freeze({ unset: true }) as unknown as Value;

/** A captured variable shared by a function and the closures made inside it. */
export class Cell {
  /**
   * Creates a cell.
   *
   * @param v its value (UNSET until assigned)
   */
  constructor(public v: Value) {}
}

/** A function ready to run: its proto plus facts from verification. */
export interface LoadedFunction {
  readonly proto: PohProto;
  readonly index: number;
  /** The function's own code (jump targets relative to it). */
  readonly code: Int32Array;
  /** Where the function starts in {@link LoadedPohModule.code}. */
  readonly entry: number;
  readonly localCount: number;
  readonly maxStack: number;
  /** Parameters without defaults. */
  readonly required: number;
  /** All parameters. */
  readonly params: number;
  /** Stack slots a call needs: locals plus the deepest operand stack. */
  readonly frameSize: number;
  /** Operand-stack depth before each instruction (-1: unreachable), from verification. */
  readonly depths: Int32Array;
  /** Its compiled form: undefined until first tried, null when the interpreter runs it. */
  jit: CompiledFn | null | undefined;
  /** Exits from its compiled form to the interpreter (too many: stop compiling it). */
  deopts: number;
}

/** A verified module plus its functions in runnable form. */
export interface LoadedPohModule {
  readonly module: PohModule;
  readonly functions: readonly LoadedFunction[];
  /** The constant pool as guest values. */
  readonly consts: readonly Value[];
  /** Every function's code in one array, jump targets relocated to absolute offsets. */
  readonly code: Int32Array;
}

/** A function value of the VM. */
export class VmClosure extends PohFunction {
  /**
   * Creates a closure.
   *
   * @param fn the function
   * @param upvals its captured cells
   */
  constructor(readonly fn: LoadedFunction, readonly upvals: Cell[]) {
    super();
  }
  /** The function's name. */
  get name(): string {
    return this.fn.proto.name;
  }
}

/** Checks argument count and call depth before a call. */
export function checkCall(fn: LoadedFunction, argc: number, depth: number): void {
  const p = fn.proto;
  checkArity(p.name, p.requiredCount, p.paramCount, argc);
  checkCallDepth(depth);
}

/** Collects `--trace` lines and `--profile` counts; only consulted on the VM's slow path. */
export class VmObserver {
  private readonly calls = new Map<string, number>();
  private readonly selfMs = new Map<string, number>();
  private readonly opCounts = new Map<string, number>();
  private lastName = "main";
  private lastTime = performance.now();
  private lastDepth = 1;

  /**
   * Creates an observer.
   *
   * @param trace receives one line per instruction, when tracing
   * @param profile whether to count calls and time per function
   */
  constructor(
    private readonly trace: ((line: string) => void) | undefined,
    private readonly profile: boolean,
  ) {
    if (profile) this.calls.set("main", 1);
  }

  /** Called before each instruction while observing. */
  before(
    fn: LoadedFunction,
    pc: number,
    depth: number,
    stack: Value[],
    sp: number,
    bp: number,
  ): void {
    const p = fn.proto;
    const spec = OP_BY_CODE[fn.code[pc]];
    if (this.trace) {
      const ops = spec ? spec.operands.map((_, i) => fn.code[pc + 1 + i]).join(" ") : "";
      const top: string[] = [];
      for (let i = Math.max(bp + fn.localCount, sp - 3); i < sp; i++) top.push(show(stack[i]));
      const where = lineAt(p, pc);
      this.trace(
        `${p.name}@${pc} L${where.line} ${spec?.name ?? "?"}${ops ? " " + ops : ""} | [${
          top.join(", ")
        }]`,
      );
    }
    if (this.profile) {
      const now = performance.now();
      this.selfMs.set(this.lastName, (this.selfMs.get(this.lastName) ?? 0) + now - this.lastTime);
      this.lastTime = now;
      if (depth > this.lastDepth) this.calls.set(p.name, (this.calls.get(p.name) ?? 0) + 1);
      this.lastDepth = depth;
      this.lastName = p.name;
      const name = spec?.name ?? "?";
      this.opCounts.set(name, (this.opCounts.get(name) ?? 0) + 1);
    }
  }

  /** The profile sections, hottest first. */
  report(): ProfileSection[] {
    const now = performance.now();
    this.selfMs.set(this.lastName, (this.selfMs.get(this.lastName) ?? 0) + now - this.lastTime);
    const functions = [...this.calls.keys()].map((name) => ({
      name,
      count: this.calls.get(name) ?? 0,
      timeMs: Math.round((this.selfMs.get(name) ?? 0) * 1000) / 1000,
    })).sort((a, b) => b.timeMs - a.timeMs || b.count - a.count);
    const opcodes = [...this.opCounts].map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count);
    return [{ title: "functions", rows: functions }, { title: "opcodes", rows: opcodes }];
  }
}

function show(v: Value): string {
  if (typeof v === "string") return JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v);
  if (v === UNSET) return "<unset>";
  if (v instanceof Cell) return "<cell>";
  const t = toText(v);
  return t.length > 24 ? t.slice(0, 24) + "…" : t;
}
