import { assertEquals } from "../../assert.ts";

Deno.test("pxVM never touches Deno.* (all its I/O is a host call)", async () => {
  const offenders: string[] = [];
  for (const dir of ["src/engines/pxvm/"]) {
    for await (const entry of Deno.readDir(new URL(`../../../${dir}`, import.meta.url))) {
      const text = await Deno.readTextFile(
        new URL(`../../../${dir}${entry.name}`, import.meta.url),
      );
      if (/\bDeno\./.test(text)) offenders.push(entry.name);
    }
  }
  assertEquals(offenders, []);
});
