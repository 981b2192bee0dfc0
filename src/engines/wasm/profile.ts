/**
 * `--profile` for wasm: the `pxos_profile` hooks the instrumented module calls at each defined
 * function's entry and exit (`instrument.ts`) count calls and measure self time (time in the
 * function itself, callees excluded, so recursion does not count twice), and the import wrapper
 * counts each WASI/`pxos` call with the host time it took.
 *
 * @module
 */
import type { ProfileSection } from "../engine.ts";

/** Calls of one import and the time the host took for them. */
export interface ImportStats {
  /** Calls. */
  count: number;
  /** Milliseconds spent in the host. */
  timeMs: number;
}

/** Per-function counters fed by the hooks. */
export interface FunctionProfiler {
  /** The `pxos_profile` import object. */
  imports: { enter: (index: number) => void; exit: (index: number) => void };
  /** Profile sections, hottest first. */
  sections(names: readonly string[], imports: ReadonlyMap<string, ImportStats>): ProfileSection[];
}

/** Creates the counters for `functions` defined functions. */
export function createFunctionProfiler(functions: number): FunctionProfiler {
  const calls = new Float64Array(functions);
  const selfMs = new Float64Array(functions);
  const stack: number[] = [];
  let last = performance.now();
  /** Charges the time since the last hook to the function on top of the stack. */
  const charge = () => {
    const now = performance.now();
    if (stack.length > 0) selfMs[stack[stack.length - 1]] += now - last;
    last = now;
  };
  return {
    imports: {
      enter(index) {
        charge();
        calls[index]++;
        stack.push(index);
      },
      exit(index) {
        charge();
        // A frame left by a trap or a non-local exit would be above this one: drop it too.
        const at = stack.lastIndexOf(index);
        if (at >= 0) stack.length = at;
      },
    },
    sections(names, imports) {
      const functions = names.map((name, i) => ({ name, count: calls[i], timeMs: selfMs[i] }))
        .filter((r) => r.count > 0).sort((a, b) => b.timeMs - a.timeMs || b.count - a.count);
      const importRows = [...imports].map(([name, s]) => ({ name, ...s }))
        .sort((a, b) => b.count - a.count);
      return [
        { title: "functions (calls, self time)", rows: functions },
        { title: "imports (calls, host time)", rows: importRows },
      ];
    },
  };
}
