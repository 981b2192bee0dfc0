/**
 * A seeded generator of random, well-formed PohLang programs (expressions, loops, functions,
 * lists, text, closures, try/throw) for differential testing. Loops are bounded by construction
 * and functions only call functions made before them, so every program ends quickly — possibly
 * with a runtime error, which both engines must then report identically.
 */

/** Small deterministic PRNG (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

interface Ctx {
  vars: string[];
  lists: string[];
  funcs: { name: string; arity: number }[];
  depth: number;
  loopVar: number;
  inFunction: boolean;
  /** Writes nothing and has no `try` (so the VM compiles it). */
  pure?: boolean;
}

const ARITH = ["+", "-", "*", "plus", "minus", "times"];
const COMPARE = [
  "<",
  ">",
  "<=",
  ">=",
  "==",
  "!=",
  "is",
  "is not",
  "is greater than",
  "is less than",
  "is at least",
];

/** Generates one program from `seed`. */
export function generateProgram(seed: number): string {
  const r = new Rng(seed);
  const lines: string[] = [];
  const ctx: Ctx = { vars: [], lists: [], funcs: [], depth: 0, loopVar: 0, inFunction: false };
  for (let i = 0; i < 1 + r.int(3); i++) {
    const v = `g${i}`;
    lines.push(`Set ${v} to ${num(r)}`);
    ctx.vars.push(v);
  }
  if (r.chance(0.6)) {
    lines.push(`Set xs to [${Array.from({ length: 1 + r.int(4) }, () => num(r)).join(", ")}]`);
    ctx.lists.push("xs");
  }
  for (let f = 0; f < r.int(4); f++) lines.push(...func(r, ctx, f));
  for (let i = 0; i < 3 + r.int(8); i++) lines.push(...stmt(r, ctx, ""));
  return lines.join("\n") + "\n";
}

function num(r: Rng): string {
  if (r.chance(0.2)) return (r.int(2000) / 100).toString();
  return String(r.int(20));
}

function expr(r: Rng, ctx: Ctx, depth = 0): string {
  const leaf = depth > 2 || r.chance(0.35);
  if (leaf) {
    if (ctx.vars.length > 0 && r.chance(0.6)) return r.pick(ctx.vars);
    return num(r);
  }
  switch (r.int(10)) {
    case 0:
    case 1:
    case 2:
      return `${expr(r, ctx, depth + 1)} ${r.pick(ARITH)} ${expr(r, ctx, depth + 1)}`;
    case 3:
      return `(${expr(r, ctx, depth + 1)})`;
    case 4:
      if (ctx.funcs.length > 0) {
        const f = r.pick(ctx.funcs);
        const args = Array.from({ length: f.arity }, () => expr(r, ctx, depth + 1));
        return r.chance(0.5) || f.arity === 0
          ? `${f.name}(${args.join(", ")})`
          : `(${f.name} with ${args.join(", ")})`;
      }
      return num(r);
    case 5:
      if (ctx.lists.length > 0) {
        const l = r.pick(ctx.lists);
        return r.pick([`count of ${l}`, `total of ${l}`, `${l}[0]`, `${l}[-1]`, `largest in ${l}`]);
      }
      return `-${num(r)}`;
    case 6:
      return `${expr(r, ctx, depth + 1)} / ${r.pick(["2", "4", "0.5", expr(r, ctx, depth + 1)])}`;
    case 7:
      return `${expr(r, ctx, depth + 1)} % ${1 + r.int(5)}`;
    case 8: {
      // map / filter / reduce over a list or a range, with a function of the right arity.
      const one = ctx.funcs.filter((f) => f.arity === 1);
      const two = ctx.funcs.filter((f) => f.arity === 2);
      // A fresh list: the function may append to the program's lists, and the walk is live.
      const items = r.chance(0.5) ? `range(${r.int(5)})` : `[${num(r)}, ${num(r)}]`;
      if (two.length > 0 && r.chance(0.4)) {
        return `reduce(${items}, ${r.pick(two).name}, ${expr(r, ctx, depth + 1)})`;
      }
      if (one.length > 0) {
        const f = r.pick(one).name;
        return r.chance(0.5) ? `total of map(${items}, ${f})` : `count of filter(${items}, ${f})`;
      }
      return num(r);
    }
    default:
      return `round ${expr(r, ctx, depth + 1)}`;
  }
}

function cond(r: Rng, ctx: Ctx): string {
  const c = `${expr(r, ctx, 1)} ${r.pick(COMPARE)} ${expr(r, ctx, 1)}`;
  if (r.chance(0.2)) return `${c} and ${expr(r, ctx, 2)} ${r.pick(COMPARE)} ${num(r)}`;
  if (r.chance(0.15)) return `not (${c})`;
  if (r.chance(0.15)) return `${c} or ${expr(r, ctx, 2)} > ${num(r)}`;
  return c;
}

function stmt(r: Rng, ctx: Ctx, indent: string): string[] {
  const deep = ctx.depth >= 2;
  let choice = r.int(deep ? 6 : 12);
  // Pure functions: no Write, no try (assignments, If, loops instead).
  if (ctx.pure && [0, 1, 4, 5, 10].includes(choice)) choice = r.pick([2, 3, 6, 8, 11]);
  if (deep && choice === 8) choice = 2;
  const inner = (body: () => string[]) => {
    ctx.depth++;
    const out = body();
    ctx.depth--;
    return out;
  };
  switch (choice) {
    case 0:
    case 1:
      return [`${indent}Write ${expr(r, ctx)}`];
    case 2: {
      const v = ctx.vars.length > 0 && r.chance(0.5) ? r.pick(ctx.vars) : `v${ctx.vars.length}`;
      const line = `${indent}Set ${v} to ${expr(r, ctx)}`;
      if (!ctx.vars.includes(v)) ctx.vars.push(v);
      return [line];
    }
    case 3:
      if (ctx.vars.length === 0) return [`${indent}Write ${num(r)}`];
      return [`${indent}${r.pick(["Increase", "Decrease"])} ${r.pick(ctx.vars)} by ${num(r)}`];
    case 4:
      return [`${indent}Write "v=" plus ${expr(r, ctx)}`];
    case 5:
      if (ctx.lists.length > 0) {
        return [
          `${indent}append ${expr(r, ctx)} to ${r.pick(ctx.lists)}`,
          `${indent}Write ${r.pick(ctx.lists)}`,
        ];
      }
      return [`${indent}Write [${expr(r, ctx)}, ${expr(r, ctx)}]`];
    case 6:
    case 7: {
      const lines = [`${indent}If ${cond(r, ctx)}`];
      lines.push(...inner(() => block(r, ctx, indent + "  ")));
      if (r.chance(0.5)) {
        lines.push(`${indent}Otherwise`);
        lines.push(...inner(() => block(r, ctx, indent + "  ")));
      }
      lines.push(`${indent}End`);
      return lines;
    }
    case 8: {
      const i = `i${ctx.loopVar++}`;
      const lines = [`${indent}Set ${i} to 0`, `${indent}While ${i} < ${1 + r.int(5)}`];
      lines.push(...inner(() => block(r, ctx, indent + "  ")));
      lines.push(`${indent}  Increase ${i}`, `${indent}End`);
      return lines;
    }
    case 9: {
      const lines = [`${indent}Repeat ${r.int(4)} times`];
      lines.push(...inner(() => block(r, ctx, indent + "  ")));
      lines.push(`${indent}End`);
      return lines;
    }
    case 11: {
      if (deep) return [`${indent}Set w${ctx.loopVar++} to ${expr(r, ctx)}`];
      const e = `e${ctx.loopVar++}`;
      // Never a list the body may append to: the walk would not end.
      const items = r.chance(0.5)
        ? `range(${r.int(4)})`
        : `[${expr(r, ctx, 2)}, ${expr(r, ctx, 2)}]`;
      const lines = [`${indent}For each ${e} in ${items}`];
      ctx.vars.push(e);
      lines.push(...inner(() => block(r, ctx, indent + "  ")));
      lines.push(`${indent}End`);
      return lines;
    }
    default: {
      const lines = [`${indent}try this:`];
      lines.push(...inner(() => block(r, ctx, indent + "  ")));
      if (r.chance(0.5)) lines.push(`${indent}  throw "t" plus ${expr(r, ctx)}`);
      lines.push(`${indent}if error as e`, `${indent}  Write "caught " plus e`, `${indent}end try`);
      return lines;
    }
  }
}

function block(r: Rng, ctx: Ctx, indent: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < 1 + r.int(3); i++) out.push(...stmt(r, ctx, indent));
  return out;
}

function func(r: Rng, outer: Ctx, index: number): string[] {
  const arity = r.int(4);
  const params = Array.from({ length: arity }, (_, i) => `p${index}_${i}`);
  const name = `f${index}`;
  const ctx: Ctx = {
    vars: [...outer.vars, ...params],
    lists: outer.lists,
    funcs: outer.funcs.slice(),
    depth: 1,
    loopVar: 100 + index * 10,
    inFunction: true,
    pure: r.chance(0.5),
  };
  const lines = [`Make ${name}${arity ? " with " + params.join(", ") : ""}`];
  if (r.chance(0.3)) {
    // A closure over a parameter or local, called right away.
    const captured = r.pick(ctx.vars.length ? ctx.vars : ["0"]);
    lines.push(`  Make inner${index} with q Return q + ${captured}`);
    lines.push(`  Set loc${index} to inner${index}(${num(r)})`);
    ctx.vars.push(`loc${index}`);
  }
  lines.push(...block(r, ctx, "  "));
  lines.push(`  Return ${expr(r, ctx)}`, "End");
  outer.funcs.push({ name, arity });
  return lines;
}
