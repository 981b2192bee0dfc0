/** `readWholeFile` gives exactly `Deno.readFile`'s bytes, for empty, small, large and grown files. */
import { readFully, readWholeFile } from "../src/read_file.ts";
import { assertEquals } from "./assert.ts";

Deno.test("readWholeFile reads what Deno.readFile reads, whatever the size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const size of [0, 1, 4095, 65536, 3_000_017]) {
      const data = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff);
      const path = `${dir}/f${size}`;
      await Deno.writeFile(path, data);
      const read = await readWholeFile(path);
      assertEquals(read.length, size);
      assertEquals(read, await Deno.readFile(path), `${size} bytes`);
    }
    let missing: unknown;
    await readWholeFile(`${dir}/none`).catch((e) => (missing = e));
    assertEquals(missing instanceof Deno.errors.NotFound, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readFully stops at the end of a short file", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeFile(path, Uint8Array.of(1, 2, 3));
    using file = await Deno.open(path);
    const buffer = new Uint8Array(8);
    assertEquals(await readFully(file, buffer), 3);
    assertEquals([...buffer.subarray(0, 3)], [1, 2, 3]);
  } finally {
    await Deno.remove(path);
  }
});
