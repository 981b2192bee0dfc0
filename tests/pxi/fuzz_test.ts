/** Untrusted IR: random statements and documents give a PxosError or a build, never a crash. */
import { assertEquals } from "../assert.ts";
import { isPxosError } from "../../src/errors.ts";
import { buildPxi, PXI_TARGETS, readPxi } from "../../src/pxi/build.ts";
import { decodeX86Range } from "../../src/pxi/x86/decode.ts";

/** A small deterministic generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const TOKENS = [
  "MOV",
  "ADD",
  "JMP",
  "LOOP",
  "PUSH",
  "POP",
  "INT",
  "OUT",
  "REP",
  "STOSB",
  "FUNC",
  "ENDFUNC",
  "SYSCALL",
  "print_char",
  "halt",
  "AX",
  "AL",
  "BH",
  "DS",
  "CS",
  "[BX+SI+4]",
  "[BP]",
  "WORD",
  "BYTE",
  "[label]",
  "label",
  ".loc",
  "$",
  "0x7C00",
  "-1",
  "65536",
  "'A'",
  "'\\x'",
  '"hi\\n"',
  '"',
  ",",
  ":",
  ";",
  "label:",
  ".loc:",
  "ORG",
  "STRING",
  "DB",
  "DW",
  "TIMES",
  "RESB",
  "10",
  "[",
  "]",
  "+",
  "-",
];

Deno.test("random .pxs text never crashes any backend", () => {
  const next = rng(0x9e3779b9);
  let built = 0;
  for (let i = 0; i < 1500; i++) {
    const lines = Array.from(
      { length: 1 + Math.floor(next() * 6) },
      () =>
        Array.from(
          { length: 1 + Math.floor(next() * 5) },
          () => TOKENS[Math.floor(next() * TOKENS.length)],
        )
          .join(next() < 0.3 ? ", " : " "),
    );
    const text = `label:\n${lines.join("\n")}\n`;
    for (const target of PXI_TARGETS) {
      try {
        buildPxi(readPxi(text, "fuzz.pxs"), target);
        built++;
      } catch (e) {
        if (!isPxosError(e)) throw new Error(`${String(e)} for:\n${text}`);
      }
    }
  }
  assertEquals(built > 0, true, "some random programs should build");
});

Deno.test("random JSON documents never crash the reader", () => {
  const next = rng(12345);
  const values = [null, 0, -1, 1.5, "AX", "", [], {}, [1], { dst: "AX" }, "MOV", true, 70000];
  for (let i = 0; i < 1500; i++) {
    const pick = () => values[Math.floor(next() * values.length)];
    const doc = {
      source: next() < 0.9 ? "f" : pick(),
      ir_version: next() < 0.9 ? 1 : pick(),
      origin: next() < 0.8 ? 0 : pick(),
      instructions: Array.from(
        { length: Math.floor(next() * 4) },
        () => ({ op: pick(), operands: pick() }),
      ),
      data: Array.from(
        { length: Math.floor(next() * 3) },
        () => ({ label: pick(), type: pick(), value: pick() }),
      ),
    };
    try {
      buildPxi(readPxi(JSON.stringify(doc), "fuzz.pxi.json"), "pxvm");
    } catch (e) {
      if (!isPxosError(e)) throw new Error(`${String(e)} for ${JSON.stringify(doc)}`);
    }
  }
});

Deno.test("random bytes always decode (one instruction or one BYTE at a time)", () => {
  const next = rng(777);
  const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(next() * 256));
  const decoded = decodeX86Range(bytes, 0, 0, bytes.length);
  assertEquals(decoded.reduce((n, d) => n + d.length, 0), bytes.length);
});
