import { writeFileAtomic } from "../../src/archive/directory.ts";
import { readInputFile } from "../../src/cli/files.ts";
import { assertEquals, assertPxosError } from "../assert.ts";

Deno.test("writeFileAtomic writes the bytes and leaves no temp file behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeFileAtomic(`${dir}/out.bin`, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(`${dir}/out.bin`, new Uint8Array([4, 5]));
    assertEquals(await Deno.readFile(`${dir}/out.bin`), new Uint8Array([4, 5]));
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assertEquals(names, ["out.bin"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic fails with E_IO and cleans up when the target cannot be replaced", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/taken`);
    await Deno.writeTextFile(`${dir}/taken/x`, "keep");
    await assertPxosError(() => writeFileAtomic(`${dir}/taken`, new Uint8Array([1])), "E_IO");
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assertEquals(names, ["taken"]);
    await assertPxosError(() => writeFileAtomic(`${dir}/no/such/dir/f`, new Uint8Array()), "E_IO");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readInputFile names a missing file", async () => {
  await assertPxosError(() => readInputFile("/no/such/file.pxi"), "E_IO", /no such file/);
});
