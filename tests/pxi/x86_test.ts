/** The x86 backend's layout: short jumps where they reach, boot sectors, source maps. */
import { assertEquals } from "../assert.ts";
import { assembleX86 } from "../../src/pxi/x86/assemble.ts";
import { listX86 } from "../../src/pxi/x86/listing.ts";
import { pohToPxi } from "../../src/pxi/poh/frontend.ts";
import { printPxs } from "../../src/pxi/print_text.ts";
import { pxs, repoText } from "./helpers.ts";

Deno.test("jumps are short where they reach and near where they do not, forward and back", () => {
  const far = "NOP\n".repeat(130);
  const { bytes, labels } = assembleX86(
    pxs(`ORG 0x100\nstart: JE near\nJMP far\nnear: ${far}far: JNE start\nJMP start\n`),
  );
  assertEquals([...bytes.subarray(0, 2)], [0x74, 0x03]); // JE near: rel8 over the 3-byte JMP
  assertEquals([...bytes.subarray(2, 5)], [0xe9, 130, 0]); // JMP far: 130 NOPs away → rel16
  assertEquals(labels.get("far"), 0x100 + 5 + 130);
  assertEquals([...bytes.subarray(135, 139)], [0x0f, 0x85, ...[-139 & 0xff, 0xff]]); // JNE start: near
  assertEquals([...bytes.subarray(139, 142)], [0xe9, (-142) & 0xff, 0xff]);
});

Deno.test("a jump pushed out of reach by another's growth grows too (the layout settles)", () => {
  // Each JE spans the next ones; growing one pushes the others past 127 bytes.
  const chain = Array.from({ length: 40 }, (_, i) => `JE end${i % 2}\n`).join("");
  const { bytes } = assembleX86(pxs(`${chain}${"NOP\n".repeat(20)}end0: NOP\nend1: NOP\n`));
  let at = 0;
  for (let i = 0; i < 40; i++) {
    const short = bytes[at] === 0x74;
    const size = short ? 2 : 4;
    const rel = short
      ? ((bytes[at + 1] << 24) >> 24)
      : ((bytes[at + 2] | (bytes[at + 3] << 8)) << 16) >> 16;
    const target = at + size + rel;
    assertEquals(
      target === bytes.length - 2 || target === bytes.length - 1,
      true,
      `JE ${i} lands on ${target}`,
    );
    if (short) assertEquals(rel <= 127, true);
    at += size;
  }
});

Deno.test("a boot sector is 512 bytes ending 55 AA; labels are absolute from ORG", () => {
  const { bytes, labels } = assembleX86(pxs('ORG 0x7C00\nMOV SI, msg\nHLT\nmsg: STRING "A"\n'), {
    boot: true,
  });
  assertEquals(bytes.length, 512);
  assertEquals([bytes[510], bytes[511]], [0x55, 0xaa]);
  assertEquals(labels.get("msg"), 0x7c04);
  assertEquals([...bytes.subarray(0, 6)], [0xbe, 0x04, 0x7c, 0xf4, 0x41, 0x00]);
});

Deno.test("the source map covers every byte with its IR line and the Poh line", () => {
  const ir = printPxs(pohToPxi(repoText("examples/pxi-poh/main.poh"), "main.poh"));
  const { bytes, map } = assembleX86(pxs(ir, "poh.pxs"));
  let at = 0;
  for (const e of map.entries) {
    assertEquals(e.start, at, "ranges are contiguous");
    at = e.end;
  }
  assertEquals(at, bytes.length);
  const fromPoh = map.entries.filter((e) => e.source_file !== undefined);
  assertEquals(fromPoh.length > 50, true, `${fromPoh.length} ranges from Poh lines`);
  assertEquals(
    fromPoh.every((e) => e.source_file === "main.poh" && (e.source_line ?? 0) >= 1),
    true,
  );
  const write = map.entries.find((e) => e.text === "MOV SI, s0")!;
  assertEquals(write.source_line, 19); // Write "Poh on PXI"
  const listing = listX86(bytes, map);
  assertEquals(listing.includes("MOV SI, s0"), true);
  assertEquals(listing.includes("main.poh:19"), true);
});
