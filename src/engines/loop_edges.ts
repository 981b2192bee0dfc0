/**
 * Which blocks of a compiled region's control flow head loops: the target of a *back edge*, an
 * edge `from → to` where every path from the region's start to `from` passes `to` (`to`
 * dominates `from`); every other edge into a loop's head enters the loop from outside. PixelVM's
 * compiled tier uses this so that code emitted for one block does not copy in the first lap of a
 * loop it merely enters (that copy would use up the loop's own blocks, which the loop's case then
 * reaches only through the dispatch). An irreducible cycle (entered at two blocks, neither
 * dominating the other) has no head.
 *
 * Dominators by the iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast
 * Dominance Algorithm") over a reverse postorder, then a preorder/postorder numbering of the
 * dominator tree so each query is two compares.
 *
 * @module
 */

/** The dominance relation of a control-flow graph from one start node. */
export class LoopEdges {
  /** Preorder and postorder numbers in the dominator tree, per reachable node. */
  readonly #pre = new Map<number, number>();
  readonly #post = new Map<number, number>();
  /** Nodes some back edge leads to: the heads of loops. */
  readonly #heads = new Set<number>();

  /**
   * @param start the entry node
   * @param successors the nodes each node leads to (only nodes reachable from `start` count)
   */
  constructor(start: number, successors: (node: number) => readonly number[]) {
    const order = reversePostorder(start, successors);
    const rank = new Map(order.map((node, i) => [node, i]));
    const preds = new Map<number, number[]>(order.map((node) => [node, []]));
    for (const node of order) {
      for (const t of successors(node)) preds.get(t)?.push(node);
    }
    const idom = new Map<number, number>([[start, start]]);
    const intersect = (a: number, b: number) => {
      while (a !== b) {
        while (rank.get(a)! > rank.get(b)!) a = idom.get(a)!;
        while (rank.get(b)! > rank.get(a)!) b = idom.get(b)!;
      }
      return a;
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const node of order) {
        if (node === start) continue;
        let next: number | undefined;
        for (const p of preds.get(node)!) {
          if (!idom.has(p)) continue;
          next = next === undefined ? p : intersect(p, next);
        }
        if (next !== undefined && idom.get(node) !== next) {
          idom.set(node, next);
          changed = true;
        }
      }
    }
    this.#number(start, idom);
    for (const [node, from] of preds) {
      if (from.some((p) => this.dominates(node, p))) this.#heads.add(node);
    }
  }

  /** Numbers the dominator tree (iteratively: a region may be thousands of nodes deep). */
  #number(start: number, idom: ReadonlyMap<number, number>): void {
    const children = new Map<number, number[]>();
    for (const [node, parent] of idom) {
      if (node === start) continue;
      const siblings = children.get(parent);
      if (siblings) siblings.push(node);
      else children.set(parent, [node]);
    }
    let clock = 0;
    const stack: [node: number, entered: boolean][] = [[start, false]];
    while (stack.length > 0) {
      const [node, entered] = stack.pop()!;
      if (entered) {
        this.#post.set(node, clock++);
        continue;
      }
      this.#pre.set(node, clock++);
      stack.push([node, true]);
      for (const child of children.get(node) ?? []) stack.push([child, false]);
    }
  }

  /** Whether every path from the start to `b` passes `a` (a node dominates itself). */
  dominates(a: number, b: number): boolean {
    const [preA, preB] = [this.#pre.get(a), this.#pre.get(b)];
    if (preA === undefined || preB === undefined) return false;
    return preA <= preB && this.#post.get(b)! <= this.#post.get(a)!;
  }

  /** Whether `node` heads a loop: some edge into it is a back edge. */
  isHead(node: number): boolean {
    return this.#heads.has(node);
  }
}

/** The nodes reachable from `start`, each after all its predecessors but back edges. */
function reversePostorder(
  start: number,
  successors: (node: number) => readonly number[],
): number[] {
  const post: number[] = [];
  const seen = new Set<number>([start]);
  const stack: [node: number, next: number][] = [[start, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const out = successors(top[0]);
    if (top[1] < out.length) {
      const t = out[top[1]++];
      if (!seen.has(t)) {
        seen.add(t);
        stack.push([t, 0]);
      }
      continue;
    }
    post.push(top[0]);
    stack.pop();
  }
  return post.reverse();
}
