/**
 * Exact fuel counts: each function entry and loop iteration charges its region's instruction
 * count (nested loops excluded), whichever way the function is left — through its end, `return`,
 * a branch to its own label — and whether or not calls sit in between or profile hooks are on.
 */
import { assert, assertEquals } from "../../assert.ts";
import { isPxosError } from "../../../src/errors.ts";
import { buildModule, runWasmBytes, T } from "./helpers.ts";

const N = 10;
// helper(x) = x + 1: local.get, i32.const, i32.add, end = 4.
const helper = { params: [T.i32], results: [T.i32], body: [0x20, 0x00, 0x41, 0x01, 0x6a] };

// loop; local.get 0; call 0; local.set 0; local.get 0; i32.const N; i32.lt_s; br_if 0; end — 8
// deno-fmt-ignore
const CALL_LOOP = [0x03, 0x40, 0x20, 0x00, 0x10, 0x00, 0x21, 0x00, 0x20, 0x00, 0x41, N, 0x48, 0x0d, 0x00, 0x0b];
// loop; local.get 0; i32.const 1; i32.add; local.tee 0; i32.const N; i32.lt_s; br_if 0; end — 8
// deno-fmt-ignore
const COUNT_LOOP = [0x03, 0x40, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x22, 0x00, 0x41, N, 0x48, 0x0d, 0x00, 0x0b];

/** `_start` calls the helper N times from a loop: 2 (loop, end) + N × (8 + 4). */
const callsFromLoop = buildModule({
  funcs: [helper, { locals: [T.i32], body: CALL_LOOP, export: "_start" }],
});

/** A call-free loop (the count kept in a local), then the loop calling the helper: 5 + 8N + 12N. */
const bothLoops = buildModule({
  funcs: [helper, {
    locals: [T.i32],
    body: [...COUNT_LOOP, 0x41, 0x00, 0x21, 0x00, /* i32.const 0; local.set 0 */ ...CALL_LOOP],
    export: "_start",
  }],
});

/** A loop left by `exit` (a branch to the function's label, or `return`): 2 + N × 9. */
function leaving(exit: number[]): Uint8Array {
  return buildModule({
    funcs: [{
      locals: [T.i32],
      // loop; local.get 0; i32.const 1; i32.add; local.tee 0; i32.const N; i32.ge_s; <exit>; br 0; end
      body: [
        0x03,
        0x40,
        0x20,
        0x00,
        0x41,
        0x01,
        0x6a,
        0x22,
        0x00,
        0x41,
        N,
        0x4e,
        ...exit,
        0x0c,
        0x00,
        0x0b,
      ],
      export: "_start",
    }],
  });
}

Deno.test("wasm fuel: a loop calling a function charges both exactly", async () => {
  const run = await runWasmBytes(callsFromLoop);
  assertEquals(run.result?.fuelUsed, 2 + N * (8 + 4));
  const profiled = await runWasmBytes(callsFromLoop, { options: { profile: true } });
  assertEquals(profiled.result?.fuelUsed, 2 + N * (8 + 4), "profile hooks do not change it");
  assertEquals((await runWasmBytes(bothLoops)).result?.fuelUsed, 5 + 8 * N + 12 * N);
});

Deno.test("wasm fuel: leaving through br_if to the function label or return keeps the count", async () => {
  // br_if 1 (the function's label) — 2 bytes, one instruction.
  assertEquals((await runWasmBytes(leaving([0x0d, 0x01]))).result?.fuelUsed, 2 + N * 9);
  // if return end — three instructions.
  assertEquals(
    (await runWasmBytes(leaving([0x04, 0x40, 0x0f, 0x0b]))).result?.fuelUsed,
    2 + N * 11,
  );
  // br_table with the function label among its targets: br_table 0 1 / default 1 → 1 instruction.
  const table = await runWasmBytes(leaving([0x0e, 0x01, 0x00, 0x01]));
  assertEquals(table.result?.fuelUsed, 2 + N * 9);
});

Deno.test("wasm fuel: calls through a table and tail calls are charged exactly", async () => {
  // loop; local.get 0; i32.const 0; call_indirect (type 0, table 0); local.set 0; …: 9 a round.
  // deno-fmt-ignore
  const indirectLoop = [0x03, 0x40, 0x20, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x21, 0x00, 0x20, 0x00, 0x41, N, 0x48, 0x0d, 0x00, 0x0b];
  const indirect = buildModule({
    funcs: [helper, { locals: [T.i32], body: indirectLoop, export: "_start" }],
    table: [0],
  });
  assertEquals((await runWasmBytes(indirect)).result?.fuelUsed, 2 + N * (9 + 4));
  // tail(x) = return_call helper(x): local.get 0; return_call 0; end — 3; called from CALL_LOOP.
  const tail = { params: [T.i32], results: [T.i32], body: [0x20, 0x00, 0x12, 0x00] };
  const callTail = [...CALL_LOOP];
  callTail[5] = 0x01; // call 1 (tail) instead of call 0
  const tails = buildModule({
    funcs: [helper, tail, { locals: [T.i32], body: callTail, export: "_start" }],
  });
  assertEquals((await runWasmBytes(tails)).result?.fuelUsed, 2 + N * (8 + 3 + 4));
  // The profile variant counts in the global, without threading: the same counts.
  for (const [module, expected] of [[indirect, 2 + N * 13], [tails, 2 + N * 15]] as const) {
    const profiled = await runWasmBytes(module, { options: { profile: true } });
    assertEquals(profiled.result?.fuelUsed, expected);
  }
});

Deno.test("wasm fuel: a budget of exactly the count runs, one less is E_FUEL", async () => {
  const exact = 2 + N * (8 + 4);
  assertEquals(
    (await runWasmBytes(callsFromLoop, { limits: { fuel: exact } })).result?.fuelUsed,
    exact,
  );
  const short = await runWasmBytes(callsFromLoop, { limits: { fuel: exact - 1 } });
  assert(isPxosError(short.error, "E_FUEL"), `expected E_FUEL, found ${short.error}`);
});
