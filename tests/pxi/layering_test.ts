/** src/pxi is a compiler layer: no Deno.*, and no engine imports it (only the registry). */
import { assertEquals } from "../assert.ts";

async function* files(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* files(url);
    else if (entry.name.endsWith(".ts")) yield url;
  }
}

Deno.test("src/pxi never touches Deno.* (QEMU and files are the CLI's)", async () => {
  const offenders: string[] = [];
  for await (const f of files(new URL("../../src/pxi/", import.meta.url))) {
    if (/\bDeno\./.test(await Deno.readTextFile(f))) offenders.push(f.pathname);
  }
  assertEquals(offenders, []);
});

Deno.test("engines do not import src/pxi (the registry's one line aside)", async () => {
  const offenders: string[] = [];
  for await (const f of files(new URL("../../src/engines/", import.meta.url))) {
    if (f.pathname.endsWith("/registry.ts")) continue;
    if (/from "[./]*pxi\//.test(await Deno.readTextFile(f))) offenders.push(f.pathname);
  }
  assertEquals(offenders, []);
});
