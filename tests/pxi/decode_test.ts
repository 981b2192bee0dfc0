/** The x86 decoder reads back every form the encoder writes (decode → assemble gives the bytes). */
import { assertEquals } from "../assert.ts";
import { exampleBytes, exampleProgram } from "../../src/pxi/doc.ts";
import { INSTRUCTIONS } from "../../src/pxi/isa.ts";
import { assembleX86 } from "../../src/pxi/x86/assemble.ts";
import { decodeX86, decodeX86Range } from "../../src/pxi/x86/decode.ts";
import { listX86 } from "../../src/pxi/x86/listing.ts";
import { EXAMPLES, pxs, repoText } from "./helpers.ts";

const hex = (b: ArrayLike<number>) =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

Deno.test("every table form: decode, assemble the text at the same address, same bytes", () => {
  for (const spec of INSTRUCTIONS) {
    for (const line of spec.examples) {
      const bytes = exampleBytes(line);
      const address = assembleX86(pxs(exampleProgram(line))).map.entries[0].start + 0x7c00;
      const decoded = decodeX86(new Uint8Array(bytes), 0, address);
      assertEquals(decoded.length, bytes.length, `${line} → ${decoded.text}`);
      const again = assembleX86(pxs(`ORG ${address}\n${decoded.text}\n`)).bytes;
      assertEquals(hex(again), hex(bytes), `${line} → ${decoded.text}`);
    }
  }
});

Deno.test("whole example binaries decode back to their code (jump targets named)", () => {
  for (const { path } of EXAMPLES) {
    const { bytes, map } = assembleX86(pxs(repoText(path), path));
    const codeEnd = map.entries.filter((e) => e.kind !== "data").at(-1)!.end;
    const lines = decodeX86Range(bytes, map.origin, 0, codeEnd).map((d) => d.text);
    const again = assembleX86(pxs(`ORG ${map.origin}\n${lines.join("\n")}\n`)).bytes;
    assertEquals(hex(again), hex(bytes.subarray(0, codeEnd)), path);
  }
});

Deno.test("a listing with a map shows decoded code beside the IR line; without one, decoded code", () => {
  const { bytes, map } = assembleX86(
    pxs("ORG 0x7C00\nMOV AX, [BP+4] ; c\nJMP $\nm: DB 1, 2\n", "l.pxs"),
    { boot: true },
  );
  const withMap = listX86(bytes, map);
  assertEquals(
    withMap.includes(
      "7C00  8B 46 04                 MOV AX, [BP+4]             ; line 2: MOV AX, [BP+4]",
    ),
    true,
    withMap,
  );
  assertEquals(withMap.includes("(data)"), true);
  assertEquals(withMap.includes("(503 zero bytes of padding)"), true, withMap);
  const bare = listX86(bytes, undefined, 0x7c00);
  assertEquals(bare.includes("L_7C03: JMP L_7C03"), true, bare);
  assertEquals(bare.includes("7DFE  55 AA"), true);
});
