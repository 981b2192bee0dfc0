/**
 * Seeded mutation fuzzing shared by the decoder fuzz tests (PNG, archive, manifest, each
 * bytecode). Every decoder gets at least {@link FUZZ_MUTATIONS} mutations per run; each must
 * decode (and pass the test's own check) or be refused with a `PxosError` — another exception
 * fails the test with the seed and the mutation's number, so it can be replayed. Each run prints
 * one line: `fuzz NAME: N mutations, R refused with PxosError {codes}, seed S`.
 *
 * `PXOS_FUZZ_SEED` and `PXOS_FUZZ_ITERATIONS` override the seed and the count (for a longer
 * local hunt); CI uses the defaults, so every run is the same run.
 */
import { PxosError } from "../src/errors.ts";
import { fail } from "./assert.ts";
import { seededInts } from "./pixel/png_builder.ts";

export { seededInts };

/** Mutations per decoder per run (at least 10,000 in CI). */
export const FUZZ_MUTATIONS = Number(Deno.env.get("PXOS_FUZZ_ITERATIONS") ?? 10_000);

/** Longest one input may take before the run counts as a hang. */
const MAX_MS_PER_INPUT = 2_000;

/** The seed: `PXOS_FUZZ_SEED` when set, else the test's own fixed one. */
export function fuzzSeed(fallback: number): number {
  return Number(Deno.env.get("PXOS_FUZZ_SEED") ?? fallback);
}

/**
 * One to four edits of `input`: bit flips, boundary bytes, truncation, a splice from elsewhere,
 * inserted random bytes, a deleted range.
 */
export function mutateBytes(input: Uint8Array, rand: (n: number) => number): Uint8Array {
  let out = input.slice();
  const edits = 1 + rand(4);
  for (let e = 0; e < edits && out.length > 0; e++) {
    const at = rand(out.length);
    switch (rand(6)) {
      case 0: // bit flip
        out[at] ^= 1 << rand(8);
        break;
      case 1: // byte overwrite, favouring boundary values
        out[at] = [0, 255, 0x7f, 0x80, rand(256)][rand(5)];
        break;
      case 2: // truncation
        out = out.subarray(0, at);
        break;
      case 3: { // splice: copy a range from elsewhere over this spot
        const from = rand(out.length);
        const len = 1 + rand(64);
        out.set(out.slice(from, from + len).subarray(0, Math.max(0, out.length - at)), at);
        break;
      }
      case 4: { // insert random bytes
        const insert = Uint8Array.from({ length: 1 + rand(16) }, () => rand(256));
        const grown = new Uint8Array(out.length + insert.length);
        grown.set(out.subarray(0, at));
        grown.set(insert, at);
        grown.set(out.subarray(at), at + insert.length);
        out = grown;
        break;
      }
      default: { // delete a range
        const end = Math.min(out.length, at + 1 + rand(32));
        const shrunk = new Uint8Array(out.length - (end - at));
        shrunk.set(out.subarray(0, at));
        shrunk.set(out.subarray(end), at);
        out = shrunk;
      }
    }
  }
  return out;
}

/** What a fuzz run saw. */
export interface FuzzTally {
  /** Inputs tried. */
  mutations: number;
  /** Inputs the decoder accepted (and the test's check passed). */
  accepted: number;
  /** Inputs refused with a `PxosError`. */
  refused: number;
  /** Refusals per error code. */
  codes: Map<string, number>;
}

/** One fuzz run: how inputs are made and what is done with each. */
export interface FuzzRun<T> {
  /** Name in the printed line, e.g. `png`, `pxvm`. */
  name: string;
  /** The run's seed (printed). */
  seed: number;
  /** Makes input number `i` from the seeded PRNG. */
  input: (rand: (n: number) => number, i: number) => T | Promise<T>;
  /**
   * Decodes (and, for bytecode, runs under small fuel and time limits) one input; throws a
   * `PxosError` to refuse it, or anything else for a bug.
   */
  attempt: (input: T, i: number) => unknown;
  /** Inputs to try (default {@link FUZZ_MUTATIONS}). */
  count?: number;
  /** Extra words for the printed line (e.g. what was accepted). */
  note?: (tally: FuzzTally) => string;
}

/** Runs one fuzz run, prints its line and returns the tally. */
export async function fuzz<T>(run: FuzzRun<T>): Promise<FuzzTally> {
  const count = run.count ?? FUZZ_MUTATIONS;
  const rand = seededInts(run.seed);
  const tally: FuzzTally = { mutations: 0, accepted: 0, refused: 0, codes: new Map() };
  for (let i = 0; i < count; i++) {
    const input = await run.input(rand, i);
    const where = `fuzz ${run.name}: mutation ${i} (seed ${run.seed})`;
    const started = performance.now();
    try {
      await run.attempt(input, i);
      tally.accepted++;
    } catch (e) {
      if (!(e instanceof PxosError)) {
        fail(`${where}: not a PxosError: ${e instanceof Error ? e.stack : e}`);
      }
      tally.refused++;
      tally.codes.set(e.code, (tally.codes.get(e.code) ?? 0) + 1);
    }
    const ms = performance.now() - started;
    if (ms > MAX_MS_PER_INPUT) fail(`${where}: took ${ms.toFixed(0)} ms (a hang?)`);
    tally.mutations++;
  }
  const codes = JSON.stringify(Object.fromEntries([...tally.codes].sort()));
  const note = run.note ? `, ${run.note(tally)}` : "";
  console.log(
    `fuzz ${run.name}: ${tally.mutations} mutations, ${tally.refused} refused with PxosError ` +
      `${codes}${note}, seed ${run.seed}`,
  );
  return tally;
}
