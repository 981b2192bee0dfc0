/**
 * The in-memory form of a compiled PohLang module — what the compiler produces, the `.pbc`
 * writer serialises, the reader rebuilds and the verifier checks before the VM runs it.
 *
 * @module
 */

/** A constant-pool entry (the pool holds only these four kinds). */
export type PohConst = number | string | boolean | null;

/** How a function captures one variable when its closure is made. */
export interface UpvalueDesc {
  /** True: the creating function's local slot `index` (a cell); false: its upvalue `index`. */
  fromParentLocal: boolean;
  index: number;
  /** The variable's name (debug info). */
  name: string;
}

/** One line-table run: instructions from `pc` on come from `file:line`. */
export interface LineEntry {
  pc: number;
  file: string;
  line: number;
}

/** A compiled function. Function 0 of a module is the top-level code (`main`). */
export interface PohProto {
  name: string;
  file: string;
  /** Line of the `Make` (1 for main). */
  line: number;
  paramCount: number;
  /** Parameters without defaults (callers must pass at least these). */
  requiredCount: number;
  /** Names of the local slots (parameters first); hidden temporaries are named `(…)`. */
  localNames: string[];
  upvalues: UpvalueDesc[];
  code: Int32Array;
  lines: LineEntry[];
}

/** A compiled module. */
export interface PohModule {
  /** Entry file name. */
  file: string;
  consts: PohConst[];
  globals: string[];
  functions: PohProto[];
}

/** Source line of instruction `pc` of `proto` (binary search over the line runs). */
export function lineAt(proto: PohProto, pc: number): { file: string; line: number } {
  const runs = proto.lines;
  let lo = 0;
  let hi = runs.length - 1;
  if (hi < 0) return { file: proto.file, line: proto.line };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runs[mid].pc <= pc) lo = mid;
    else hi = mid - 1;
  }
  return { file: runs[lo].file, line: runs[lo].line };
}
