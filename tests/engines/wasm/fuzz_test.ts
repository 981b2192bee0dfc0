/**
 * Mutated `.wasm` files: every one must end as a `PxosError` or a clean run — never another
 * exception, a crash or a hang (fuel and a small memory limit bound the ones that still run).
 */
import { assert } from "../../assert.ts";
import { FUZZ_MUTATIONS } from "../../fuzz.ts";
import { PxosError } from "../../../src/errors.ts";
import { GuestExit } from "../../../src/host/host.ts";
import { SeededRandom } from "../../../src/host/prng.ts";
import { buildModule, countedLoop, exampleFiles, runWasmBytes, T } from "./helpers.ts";

function mutate(rng: SeededRandom, source: Uint8Array): Uint8Array {
  let bytes = source.slice();
  const edits = 1 + (rng.nextU32() % 4);
  for (let i = 0; i < edits; i++) {
    const at = 8 + (rng.nextU32() % Math.max(1, bytes.length - 8));
    switch (rng.nextU32() % 5) {
      case 0:
        bytes = bytes.slice(0, at); // truncate
        break;
      case 1: {
        const grown = new Uint8Array(bytes.length + 1); // insert a byte
        grown.set(bytes.subarray(0, at));
        grown[at] = rng.nextU32() & 0xff;
        grown.set(bytes.subarray(at), at + 1);
        bytes = grown;
        break;
      }
      default:
        if (at < bytes.length) bytes[at] ^= 1 << (rng.nextU32() % 8); // flip a bit
    }
  }
  return bytes;
}

async function fuzz(
  label: string,
  source: Uint8Array,
  count: number,
  files?: Map<string, Uint8Array>,
) {
  const rng = new SeededRandom(new TextEncoder().encode(`wasm-fuzz-${label}`));
  const outcomes = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const bytes = mutate(rng, source);
    const run = await runWasmBytes(bytes, {
      files,
      limits: { fuel: 50_000, memoryBytes: 4 * 1024 * 1024, timeoutMs: 2000 },
      // Every third one through the profiling rewrite (renumbered functions, hooks).
      options: { profile: i % 3 === 0 },
    });
    let outcome = "ran";
    if (run.error !== undefined) {
      if (!(run.error instanceof PxosError) && !(run.error instanceof GuestExit)) {
        throw new Error(`${label} mutation ${i}: not a PxosError: ${run.error}`);
      }
      outcome = run.error instanceof PxosError ? run.error.code : "exit";
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return outcomes;
}

Deno.test("wasm fuzz: 10,000 mutations of a small module end cleanly", async () => {
  // Memory, a loop, a grow and an import: mutations reach the loader, the limits and the run.
  const source = buildModule({
    imports: [{ module: "wasi_snapshot_preview1", name: "proc_exit", params: [T.i32] }],
    memory: { min: 1, max: 4 },
    funcs: [{
      locals: [T.i32],
      // 10 times: grow by a page and drop the result; then exit with local 0.
      body: [...countedLoop(10, [0x41, 0x01, 0x40, 0x00, 0x1a]), 0x20, 0x00, 0x10, 0x00],
      export: "_start",
    }],
  });
  const outcomes = await fuzz("small", source, FUZZ_MUTATIONS);
  const refused = [...outcomes].filter(([k]) => k.startsWith("E_")).reduce((n, [, v]) => n + v, 0);
  console.log(
    `fuzz wasm: ${FUZZ_MUTATIONS} mutations, ${refused} refused with PxosError ${
      JSON.stringify(Object.fromEntries(outcomes))
    }, seed "wasm-fuzz-small"`,
  );
  assert(outcomes.size >= 3, JSON.stringify([...outcomes]));
  assert((outcomes.get("E_VERIFY") ?? 0) > 0, JSON.stringify([...outcomes]));
});

Deno.test("wasm fuzz: mutations of the C life example end cleanly", async () => {
  const { bytes, files } = await exampleFiles("wasm-life");
  const outcomes = await fuzz("life", bytes, 1000, files);
  assert((outcomes.get("E_VERIFY") ?? 0) > 0, JSON.stringify([...outcomes]));
  assert(
    (outcomes.get("ran") ?? 0) + (outcomes.get("E_TRAP") ?? 0) > 0,
    JSON.stringify([...outcomes]),
  );
});
