/**
 * The VM's `--trace` and `--profile` observer. It is only consulted on the dispatch loop's slow
 * path, which an observed run takes before every instruction (its fuel chunks are one long), so
 * an unobserved run pays nothing for it.
 *
 * @module
 */
import type { ProfileSection } from "../engine.ts";
import { OP_BY_CODE } from "./isa.ts";
import { lineAt } from "./module.ts";
import { toText, type Value } from "./values.ts";
import { Cell, type LoadedFunction, UNSET } from "./vm_support.ts";

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
