/**
 * Source fuzzing: random token soup and mutated valid programs must either run or fail with a
 * PxosError — never another exception (a crash), on either engine.
 */
import { assert } from "../../assert.ts";
import { PxosError } from "../../../src/errors.ts";
import { pohEngine } from "../../../src/engines/poh/mod.ts";
import { createHost, GuestExit } from "../../../src/host/host.ts";
import { fuzz, FUZZ_MUTATIONS, fuzzSeed, mutateBytes } from "../../fuzz.ts";
import { generateProgram, Rng } from "./generator.ts";
import { runOn } from "./helpers.ts";

const WORDS = [
  "Write",
  "Set",
  "to",
  "If",
  "Otherwise",
  "End",
  "While",
  "Repeat",
  "times",
  "Make",
  "with",
  "Use",
  "Return",
  "Increase",
  "Decrease",
  "by",
  "and",
  "or",
  "not",
  "is",
  "greater",
  "than",
  "plus",
  "minus",
  "divided",
  "count",
  "of",
  "a",
  "list",
  "dictionary",
  "try",
  "this:",
  "if",
  "error",
  "as",
  "end",
  "throw",
  "x",
  "y",
  "f",
  "1",
  "2.5",
  '"s"',
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ":",
  "+",
  "-",
  "*",
  "/",
  "%",
  "==",
  "<",
  ">=",
  "\n",
  "\n",
  "\n",
  "append",
  "contains",
  "in",
  "split",
  "join",
  "round",
  "make",
  "uppercase",
  "error",
  "type",
  "message",
  "Ask",
  "for",
];

async function survive(src: string, label: string): Promise<void> {
  for (const engine of ["ast", "vm"] as const) {
    try {
      await runOn(engine, src, ["1"], { fuel: 20_000, timeoutMs: 500 });
    } catch (e) {
      assert(e instanceof PxosError, `${label} on ${engine}: non-PxosError ${e}\n${src}`);
    }
  }
}

Deno.test("poh fuzz: random token soup never crashes the parser or the engines", async () => {
  const r = new Rng(99);
  for (let i = 0; i < 400; i++) {
    const n = 1 + r.int(25);
    const src = Array.from({ length: n }, () => r.pick(WORDS)).join(" ");
    await survive(src, `soup ${i}`);
  }
});

Deno.test("poh fuzz: mutated valid programs never crash", async () => {
  const r = new Rng(7);
  for (let i = 0; i < 150; i++) {
    const lines = generateProgram(1000 + i).split("\n");
    // Delete, duplicate or swap a few lines, or cut one short.
    for (let k = 0; k < 3; k++) {
      const at = r.int(lines.length);
      const op = r.int(4);
      if (op === 0) lines.splice(at, 1);
      else if (op === 1) lines.splice(at, 0, lines[r.int(lines.length)]);
      else if (op === 2) lines[at] = lines[at].slice(0, r.int(lines[at].length + 1));
      else [lines[at], lines[0]] = [lines[0], lines[at]];
    }
    await survive(lines.join("\n"), `mutant ${i}`);
  }
});

const SEED = fuzzSeed(20261209);

Deno.test(`poh fuzz: ${FUZZ_MUTATIONS} byte mutations and token soups load (lexer, parser, compiler) or give PxosError (seed ${SEED})`, async () => {
  const encoder = new TextEncoder();
  const bases = Array.from({ length: 40 }, (_, i) => encoder.encode(generateProgram(5000 + i)));
  const host = createHost({ stdout: () => {}, stderr: () => {} });
  const limits = { fuel: 2_000, timeoutMs: 500, memoryBytes: 1 << 20, outputBytes: 1 << 20 };
  let ran = 0;
  const tally = await fuzz({
    name: "poh source",
    seed: SEED,
    input: (rand) => {
      if (rand(4) > 0) return mutateBytes(bases[rand(bases.length)], rand);
      const words = Array.from({ length: 1 + rand(25) }, () => WORDS[rand(WORDS.length)]);
      return encoder.encode(words.join(" "));
    },
    attempt: async (bytes) => {
      const program = await pohEngine.load(bytes, { path: "fuzz.poh" });
      try {
        await pohEngine.run(program, host, limits, { flags: { engine: "vm" } });
      } catch (e) {
        if (!(e instanceof GuestExit)) throw e;
      }
      ran++;
    },
    note: () => `${ran} loaded and ran`,
  });
  assert(tally.refused > 0 && ran > 0, JSON.stringify([...tally.codes]));
});
