/**
 * The call trace a PixelVM trap prints: the function of the trapping instruction, then each
 * caller from the call stack (separate call stack only: under the seed's single stack return
 * addresses are ordinary values, so no trace is claimed). Functions are named by the label at or
 * before the instruction (the source map's labels, else exports and jump targets), with the
 * source line when there is a map; repeats collapse (`trace_format.ts`).
 *
 * @module
 */
import { sourceLineAt } from "../source_map.ts";
import { formatCallTrace, type TraceFrame } from "../trace_format.ts";
import type { DecodedProgram } from "./decode.ts";
import type { VmState } from "./state.ts";

/** Label names in code order (instruction indexes ascending), per program. */
const namesByProgram = new WeakMap<DecodedProgram, { at: number[]; names: string[] }>();

function labelIndex(p: DecodedProgram): { at: number[]; names: string[] } {
  let index = namesByProgram.get(p);
  if (!index) {
    const pairs: [number, string][] = p.sourceMap
      ? p.sourceMap.labels.map((l) => [l.offset, l.name])
      : [...p.labels].map(([k, name]) => [p.offsets[k], name]);
    pairs.sort((a, b) => a[0] - b[0]);
    index = { at: pairs.map((x) => x[0]), names: pairs.map((x) => x[1]) };
    namesByProgram.set(p, index);
  }
  return index;
}

/** The frame of instruction `k`: its function (the label at or before it) and source line. */
function frameAt(p: DecodedProgram, k: number): TraceFrame {
  const offset = p.offsets[k];
  const { at, names } = labelIndex(p);
  let lo = 0, hi = at.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid] <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const source = sourceLineAt(p.sourceMap, offset);
  return {
    name: found >= 0 ? names[found] : "(entry)",
    file: source?.file,
    line: source?.line,
  };
}

/**
 * The trace lines for a trap at `st.pc` (empty when there is no caller to show), headed
 * `PixelVM call trace (most recent call first):`.
 */
export function callTraceLines(p: DecodedProgram, st: VmState): string[] {
  if (p.singleStack || st.rsp < 2) return [];
  const frames = [frameAt(p, st.pc)];
  for (let j = st.rsp - 2; j >= 0; j -= 2) frames.push(frameAt(p, st.rstack[j] - 1));
  return ["PixelVM call trace (most recent call first):", ...formatCallTrace(frames)];
}
