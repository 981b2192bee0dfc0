import { assertEquals } from "../../assert.ts";

Deno.test("the wasm engine never touches Deno.* (all its I/O is a host call)", async () => {
  const dir = new URL("../../../src/engines/wasm/", import.meta.url);
  const offenders: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    if (/\bDeno\.|\bfetch\(/.test(text)) offenders.push(entry.name);
  }
  assertEquals(offenders, []);
});
