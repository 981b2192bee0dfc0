import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { loadPixelProgram } from "../../../src/engines/pixelvm/engine.ts";
import {
  decodeModule,
  encodeModule,
  type PixelModule,
} from "../../../src/engines/pixelvm/module.ts";
import { assertEquals, assertMatch, assertPxosError } from "../../assert.ts";

const load = (bytes: Uint8Array) => loadPixelProgram(bytes, { path: "bad.pxi" });

/** [what, bytes, offset, message pattern]. */
const PLAIN: [string, number[], number, RegExp][] = [
  ["unknown opcode", [0x01, 1, 0, 0, 0, 0x99], 5, /unknown opcode 0x99/],
  [
    "operand past the end",
    [0xfe, 0x01, 1, 0],
    1,
    /PUSH: expected a 4-byte i32 operand, found 2 bytes/,
  ],
  ["host id past the end", [0x50], 0, /1-byte host operand/],
  ["string past the end", [0x13, 10, 0, 0, 0, 0x41], 0, /string length 10 runs past the end/],
  ["negative string length", [0x13, 0xff, 0xff, 0xff, 0xff], 0, /string length -1/],
  [
    "jump into an operand",
    [0x30, 2, 0, 0, 0, 0xff],
    0,
    /target 2 is not on an instruction boundary/,
  ],
  ["jump outside the code", [0xff, 0x31, 100, 0, 0, 0], 1, /JZ: target 100 is outside the code/],
  ["jump to the end", [0x33, 5, 0, 0, 0], 0, /CALL: target 5 is outside the code/],
  ["negative jump", [0x32, 0xff, 0xff, 0xff, 0xff], 0, /JNZ: target -1 is outside/],
  ["unknown host-call id", [0x50, 200, 0xff], 0, /unknown host-call id 200/],
];

for (const [what, bytes, offset, pattern] of PLAIN) {
  Deno.test(`verifier refuses ${what} (E_VERIFY at offset ${offset})`, async () => {
    const e = await assertPxosError(() => load(new Uint8Array(bytes)), "E_VERIFY", pattern);
    assertEquals(e.offset, offset);
    assertMatch(e.message, new RegExp(`^bad\\.pxi @ offset ${offset}: `));
  });
}

const base = (): PixelModule =>
  decodeModule(assemblePxasm(
    '.module m\n.export f\n.import x.g\n.data\nd: .string "abc"\n.code\nf: PUSH d\nCALL x.g\nHALT',
  ));

Deno.test("a well-formed module decodes to what was assembled", () => {
  const m = base();
  assertEquals(m.name, "m");
  assertEquals(m.relocs, [0]);
  assertEquals(m.imports[0].sites, [5]);
});

/** [what, how to break the encoded module, pattern]. */
const HEADER: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
  ["a wrong version", (b) => set(b, 4, 9), /expected PXIR version 1, found 9/],
  ["an unknown flag", (b) => set(b, 5, 8), /expected flags 0, 1 .* or 2 .*, found 8/],
  ["both call-stack flags", (b) => set(b, 5, 3), /expected flags 0, 1 .* or 2 .*, found 3/],
  ["a non-zero reserved field", (b) => set(b, 6, 1), /reserved field 0/],
  ["a memory size not a multiple of 4", (b) => set(b, 8, 3), /multiple of 4/],
  ["a truncated header", (b) => b.slice(0, 18), /expected 4 bytes of data length, found 2 left/],
  ["trailing bytes", (b) => concat(b, [0]), /found 1 more bytes/],
  ["a code length past the end", (b) => set(b, 12, 200), /expected 200 bytes of code/],
  ["a huge import site count", (b) => b.slice(0, 45), /import/],
  ["a module name that is not an identifier", (b) => set(b, 29, 0x31), /identifier, found "1"/],
];

for (const [what, breakIt, pattern] of HEADER) {
  Deno.test(`verifier refuses a header with ${what}`, async () => {
    const bytes = breakIt(encodeModule(base()));
    const e = await assertPxosError(() => load(bytes), "E_VERIFY", pattern);
    assertEquals(typeof e.offset, "number");
  });
}

/** [what, how to break the decoded module, offset, pattern]. */
const SEMANTIC: [string, (m: PixelModule) => void, number, RegExp][] = [
  ["data larger than memory", (m) => (m.memoryBytes = 0), 16, /to fit the memory size 0/],
  ["an export not on an instruction", (m) => (m.exports[0].offset = 1), 1, /export f: offset/],
  ["a duplicate export", (m) => m.exports.push({ name: "f", offset: 0 }), 0, /appears twice/],
  ["a relocation not at a PUSH", (m) => (m.relocs = [5]), 5, /does not point at a PUSH/],
  ["a relocation past the data", (m) => (m.code[1] = 9), 0, /data address 9 is outside/],
  ["an import site that is not a jump", (m) => (m.imports[0].sites = [0]), 0, /not a jump or call/],
  ["a linked import site", (m) => (m.code[6] = 1), 5, /unlinked site must hold 0/],
  ["descending relocations", (m) => (m.relocs = [0, 0]), 0, /must ascend/],
];

for (const [what, breakIt, offset, pattern] of SEMANTIC) {
  Deno.test(`verifier refuses a module with ${what}`, async () => {
    const m = base();
    m.code = m.code.slice();
    breakIt(m);
    const e = await assertPxosError(() => load(encodeModule(m)), "E_VERIFY", pattern);
    if (offset !== 16) assertEquals(e.offset, offset);
  });
}

Deno.test("a module with an import nobody provides is refused at load", async () => {
  await assertPxosError(() => load(encodeModule(base())), "E_VERIFY", /unresolved import x\.g/);
});

function set(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = b.slice();
  c[at] = v;
  return c;
}

function concat(b: Uint8Array, extra: number[]): Uint8Array {
  const c = new Uint8Array(b.length + extra.length);
  c.set(b);
  c.set(extra, b.length);
  return c;
}
