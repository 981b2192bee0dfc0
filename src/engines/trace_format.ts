/**
 * Call traces that stay readable however deep the recursion: repeats of the same frame (or of a
 * short cycle of frames, as in mutual recursion) collapse into one `… 997 more frames of f
 * (d.poh:2)` line, and a trace that is still long keeps its two ends. Every engine that prints a
 * call trace formats it here.
 *
 * @module
 */

/** One frame of a call trace: the function and where it is. */
export interface TraceFrame {
  /** Function (or label) name. */
  name: string;
  /** Source file, when known. */
  file?: string;
  /** 1-based source line, when known. */
  line?: number;
}

/** Frames of a repeating run shown before its "more frames" line. */
const SHOWN_OF_RUN = 3;
/** Runs up to this long are shown whole: hiding a handful of frames saves nothing. */
const SHORT_RUN = 8;
/** The longest cycle of frames recognised as repeating (mutual recursion of up to 4 functions). */
const MAX_CYCLE = 4;
/** Lines kept from each end of a trace that is still longer than twice this. */
const KEPT_AT_ENDS = 12;

/** `f (d.poh:2)`: a frame as text. */
export function frameText(f: TraceFrame): string {
  const where = f.file !== undefined
    ? `${f.file}${f.line !== undefined ? `:${f.line}` : ""}`
    : f.line !== undefined
    ? `line ${f.line}`
    : undefined;
  return where ? `${f.name} (${where})` : f.name;
}

const same = (a: TraceFrame, b: TraceFrame) =>
  a.name === b.name && a.file === b.file && a.line === b.line;

/**
 * The lines of a call trace, `  at f (d.poh:2)` each, most recent call first (`frames` is in
 * that order), with repeats collapsed.
 *
 * @example
 * ```ts
 * import { formatCallTrace } from "./trace_format.ts";
 * const frames = Array.from({ length: 1000 }, () => ({ name: "f", file: "d.poh", line: 2 }));
 * console.log(formatCallTrace(frames).join("\n"));
 * //   at f (d.poh:2)   (three times)
 * //   … 997 more frames of f (d.poh:2)
 * ```
 */
export function formatCallTrace(frames: readonly TraceFrame[]): string[] {
  const lines: string[] = [];
  let i = 0;
  while (i < frames.length) {
    const { cycle, repeats } = longestRepeat(frames, i);
    const run = cycle * repeats;
    if (run > SHORT_RUN && repeats > 1) {
      const shown = Math.max(SHOWN_OF_RUN, cycle);
      for (let k = 0; k < shown; k++) lines.push(`  at ${frameText(frames[i + k])}`);
      const parts = frames.slice(i, i + cycle).map(frameText);
      const what = cycle === 1 ? `of ${parts[0]}` : `cycling through ${parts.join(", ")}`;
      lines.push(`  … ${run - shown} more frames ${what}`);
      i += run;
    } else {
      lines.push(`  at ${frameText(frames[i])}`);
      i++;
    }
  }
  if (lines.length <= 2 * KEPT_AT_ENDS + 1) return lines;
  const cut = lines.length - 2 * KEPT_AT_ENDS;
  return [
    ...lines.slice(0, KEPT_AT_ENDS),
    `  … ${cut} more lines of the trace`,
    ...lines.slice(lines.length - KEPT_AT_ENDS),
  ];
}

/** The cycle length (1..MAX_CYCLE) that repeats most frames from `i`, and how many times. */
function longestRepeat(
  frames: readonly TraceFrame[],
  i: number,
): { cycle: number; repeats: number } {
  let best = { cycle: 1, repeats: 1 };
  for (let cycle = 1; cycle <= MAX_CYCLE && i + cycle <= frames.length; cycle++) {
    let repeats = 1;
    while (
      i + (repeats + 1) * cycle <= frames.length &&
      frames.slice(i, i + cycle).every((f, k) => same(f, frames[i + repeats * cycle + k]))
    ) repeats++;
    if (repeats > 1 && cycle * repeats > best.cycle * best.repeats) best = { cycle, repeats };
  }
  return best;
}
