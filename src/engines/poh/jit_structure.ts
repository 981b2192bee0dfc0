/**
 * Structured control flow for compiled Poh code: the jumps of a region of bytecode become
 * labelled JavaScript loops (`continue` for a backward jump) and labelled blocks (`break` for a
 * forward jump), so V8 sees the program's own loops. (A `switch` over block numbers inside one
 * `for (;;)` merges every variable's first value into every loop, which keeps numbers boxed.)
 *
 * The compiler lays loops out as one stretch of code ending in the jump back, so a loop is the
 * stretch from its head to its last backward jump. A forward jump to `y` breaks out of a block
 * that ends at `y` and starts where the innermost loop holding `y` and every jump to it starts,
 * so blocks and loops nest. Bytecode that does not nest that way (only hand-made `.pbc` can) is
 * not compiled: the interpreter runs it.
 *
 * @module
 */

/** A stretch of code that becomes a labelled loop or block. */
interface Span {
  start: number;
  end: number;
  kind: "loop" | "block";
}

/**
 * How a region's code is laid out as nested loops and blocks. Each loop `L<head>` sits in a
 * refuelling loop `R<head>`: the loop's head, short of fuel, does `continue R<head>`, which
 * refuels (a call) and enters the loop again at its head — so no call that returns sits inside
 * the loop itself, which would make V8 keep the loop's numbers boxed.
 */
export interface Structure {
  /** Source to put before the instruction at a pc (constructs closing there, then opening). */
  readonly before: ReadonlyMap<number, string>;
  /** Source after the region's last instruction (the constructs still open). */
  readonly after: string;
  /** Loop heads (targets of backward jumps) in the region. */
  readonly heads: ReadonlySet<number>;
  /**
   * The statement for a jump from `from` to `to`, or null when `to` is outside the region (the
   * caller leaves the compiled code there).
   */
  jump(from: number, to: number): string | null;
}

/**
 * Lays out the region [`from`, `to`) of a function.
 *
 * @param pcs the function's reachable instruction starts, in order
 * @param targetOf the jump target of the instruction at a pc (-1: not a jump)
 * @param nextOf the pc after the instruction at a pc
 * @param from the region's first pc
 * @param to the pc after the region
 * @param refuel the statement that refuels before a loop's head (see `Structure`)
 * @returns the layout, or null when the jumps do not nest
 */
export function structure(
  pcs: readonly number[],
  targetOf: (pc: number) => number,
  nextOf: (pc: number) => number,
  from: number,
  to: number,
  refuel: (head: number) => string,
): Structure | null {
  const inRegion = (pc: number) => pc >= from && pc < to;
  const loopEnd = new Map<number, number>();
  const sources = new Map<number, number[]>();
  for (const pc of pcs) {
    if (!inRegion(pc)) continue;
    const t = targetOf(pc);
    if (t < 0 || !inRegion(t)) continue;
    if (t <= pc) loopEnd.set(t, Math.max(loopEnd.get(t) ?? 0, nextOf(pc)));
    else sources.set(t, [...(sources.get(t) ?? []), pc]);
  }
  const loops: Span[] = [...loopEnd].map(([start, end]) => ({ start, end, kind: "loop" }));
  if (loops.some((l) => l.end > to) || !nests(loops)) return null;
  const spans: Span[] = [...loops];
  for (const [y, from_] of sources) {
    const first = Math.min(...from_);
    // The innermost loop holding `y` and every jump to it (loops nest: the shortest).
    let start = from;
    let size = Infinity;
    for (const l of loops) {
      if (l.start <= first && y < l.end && l.end - l.start < size) {
        start = l.start;
        size = l.end - l.start;
      }
    }
    spans.push({ start, end: y, kind: "block" });
  }
  if (!nests(spans)) return null;
  // Outermost first where spans start together; a block holds a loop that ends with it.
  spans.sort((a, b) => a.start - b.start || b.end - a.end || (a.kind === "block" ? -1 : 1));
  const before = new Map<number, string>();
  const open: Span[] = [];
  const close = (at: number): string => {
    let s = "";
    while (open.length > 0 && open[open.length - 1].end <= at) {
      const span = open.pop()!;
      // Running off a loop's end leaves it (its last instruction normally jumps back), and
      // its refuelling loop around it.
      s += span.kind === "loop" ? `break L${span.start}; }\nbreak R${span.start}; }\n` : "}\n";
    }
    return s;
  };
  let next = 0;
  for (const pc of pcs) {
    if (!inRegion(pc)) continue;
    let s = close(pc);
    while (next < spans.length && spans[next].start <= pc) {
      const span = spans[next++];
      s += span.kind === "loop"
        ? `R${span.start}: for (;;) {\n${refuel(span.start)}\nL${span.start}: for (;;) {\n`
        : `B${span.end}: {\n`;
      open.push(span);
    }
    if (s !== "") before.set(pc, s);
  }
  const heads = new Set(loopEnd.keys());
  return {
    before,
    after: close(Infinity),
    heads,
    jump(source: number, target: number): string | null {
      if (!inRegion(target)) return null;
      if (target <= source) return heads.has(target) ? `continue L${target};` : null;
      return `break B${target};`;
    },
  };
}

/** True when every two spans are disjoint or one holds the other. */
function nests(spans: readonly Span[]): boolean {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const stack: Span[] = [];
  for (const s of sorted) {
    while (stack.length > 0 && stack[stack.length - 1].end <= s.start) stack.pop();
    if (stack.length > 0 && s.end > stack[stack.length - 1].end) return false;
    stack.push(s);
  }
  return true;
}
