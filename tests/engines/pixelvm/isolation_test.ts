import { assertEquals } from "../../assert.ts";

Deno.test("the PixelVM engine never touches Deno.*, fetch or the file system", async () => {
  const dir = new URL("../../../src/engines/pixelvm/", import.meta.url);
  const offenders: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    if (/\bDeno\.|\bfetch\(|from "node:(fs|path|child_process)/.test(text)) {
      offenders.push(entry.name);
    }
  }
  assertEquals(offenders, []);
});
