import { assemblePxasm } from "../../../src/engines/pixelvm/assembler.ts";
import { linkPxi } from "../../../src/engines/pixelvm/linker.ts";
import { decodeModule } from "../../../src/engines/pixelvm/module.ts";
import { assertEquals, assertPxosError } from "../../assert.ts";
import { runBytes } from "./helpers.ts";

const MAIN = `.import lib.double
.import lib.hello
.data
tag: .string "main"
.code
CALL lib.hello
PUSH 21
CALL lib.double
PRINT
PUSH tag
PUSH 4
HOST_CALL write_str
HALT`;
const LIB = `.module lib
.export double
.export hello
.data
msg: .string "hello from lib\\n"
msg_end:
.code
double: ENTER 1
  LGET 0
  JZ zero
  LGET 0
  LGET 0
  ADD
  RETN 1
zero: PUSH 0
  RETN 1
hello: PUSH msg
  PUSH msg_end - msg
  HOST_CALL write_str
  RET`;

const main = () => assemblePxasm(MAIN, { file: "main.pxasm" });
const lib = () => assemblePxasm(LIB, { file: "lib.pxasm" });

Deno.test("linking resolves imports, moves jump targets and relocates data", async () => {
  const linked = linkPxi([{ bytes: main() }, { bytes: lib() }]);
  const m = decodeModule(linked);
  assertEquals(m.imports, []);
  assertEquals(m.name, "main");
  assertEquals(m.data.length, 4 + 15); // main's 4 bytes, then lib's at the next 4-byte boundary
  const { out, error } = await runBytes(linked);
  assertEquals(error, undefined);
  assertEquals(out, "hello from lib\n42\nmain");
});

Deno.test("load resolves imports from sibling .pxi files (as boot does)", async () => {
  const files = new Map([["app/main.pxi", main()], ["app/lib.pxi", lib()]]);
  const { out, error } = await runBytes(main(), { files, path: "app/main.pxi" });
  assertEquals(error, undefined);
  assertEquals(out, "hello from lib\n42\nmain");
});

Deno.test("load also resolves imports from sibling .pxasm sources", async () => {
  const files = new Map([["lib.pxasm", new TextEncoder().encode(LIB)]]);
  const { out } = await runBytes(main(), { files, path: "main.pxi" });
  assertEquals(out, "hello from lib\n42\nmain");
});

Deno.test("partial links keep unresolved imports, and linking again completes them", async () => {
  const third = assemblePxasm(".module top\n.import main.x\nJMP main.x", { file: "top.pxasm" });
  const partial = decodeModule(linkPxi([{ bytes: third }, { bytes: lib() }]));
  assertEquals(partial.imports.map((i) => `${i.module}.${i.name}`), ["main.x"]);
  const onlyMain = decodeModule(linkPxi([{ bytes: main() }]));
  assertEquals(onlyMain.imports.length, 2);
  const { out } = await runBytes(
    linkPxi([{ bytes: linkPxi([{ bytes: main() }]) }, { bytes: lib() }]),
  );
  assertEquals(out, "hello from lib\n42\nmain");
});

Deno.test("linker errors: missing export, duplicate module, headerless module after the first", async () => {
  const bad = assemblePxasm(".import lib.nothing\nCALL lib.nothing\nHALT", { file: "a.pxasm" });
  await assertPxosError(
    () => linkPxi([{ bytes: bad }, { bytes: lib() }]),
    "E_VERIFY",
    /module "lib" has no export "nothing"/,
  );
  await assertPxosError(
    () => linkPxi([{ bytes: lib() }, { bytes: lib() }]),
    "E_VERIFY",
    /two modules are named "lib"/,
  );
  await assertPxosError(
    () => linkPxi([{ bytes: main() }, { bytes: assemblePxasm("HALT") }]),
    "E_VERIFY",
    /only the first module may be a plain/,
  );
  await assertPxosError(() => linkPxi([]), "E_USAGE");
});

Deno.test("linked memory is the largest declared, and at least the data", () => {
  const big = assemblePxasm(
    ".module lib\n.memory 131072\n.export double\n.export hello\ndouble: RET\nhello: RET",
    {
      file: "lib.pxasm",
    },
  );
  const m = decodeModule(linkPxi([{ bytes: main() }, { bytes: big }]));
  assertEquals(m.memoryBytes, 131072);
});
