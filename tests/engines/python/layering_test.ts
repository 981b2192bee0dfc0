import { assertEquals } from "../../assert.ts";

Deno.test("the Python engine never touches Deno.* or fetch (the boot layer loads Pyodide)", async () => {
  const offenders: string[] = [];
  const dir = new URL("../../../src/engines/python/", import.meta.url);
  for await (const entry of Deno.readDir(dir)) {
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    if (/\bDeno\.|\bfetch\(/.test(text)) offenders.push(entry.name);
  }
  assertEquals(offenders, []);
});
