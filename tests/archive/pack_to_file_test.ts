/**
 * `pxos pack`'s path through a temporary payload file (`src/archive/pack_to_file.ts`): the
 * cartridge is byte-identical to the in-memory `packCartridge`, and no temporary file outlives the
 * call — after success, after a failure mid-pack, and after Ctrl-C.
 */
import { join } from "node:path";
import { packCartridge } from "../../src/archive/cartridge.ts";
import { collectDirectory } from "../../src/archive/directory.ts";
import { packCartridgeToFile } from "../../src/archive/pack_to_file.ts";
import type { ArchiveInput } from "../../src/archive/writer.ts";
import { PxosError } from "../../src/errors.ts";
import { assert, assertEquals, assertPxosError } from "../assert.ts";
import { pseudoRandomBytes, utf8 } from "./helpers.ts";

const MANIFEST = utf8('{"name":"spill","version":"1.0.0","entry":"main.pxasm"}');

function project(randomFiles: number, bytesEach: number): ArchiveInput[] {
  const files: ArchiveInput[] = [
    { path: "pxos.json", data: MANIFEST },
    { path: "main.pxasm", data: utf8("PUSH 1\nPRINT\nHALT\n") },
    { path: "docs/notes.txt", data: utf8("pixels carry programs; ".repeat(3000)) },
    { path: "empty", directory: true },
  ];
  for (let i = 0; i < randomFiles; i++) {
    files.push({ path: `data/r${i}.bin`, data: pseudoRandomBytes(bytesEach, i + 1) });
  }
  return files;
}

function namesIn(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("packCartridgeToFile writes packCartridge's bytes and leaves only the output", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases: [string, ArchiveInput[], { compress?: boolean }][] = [
      ["small (image deflated in memory)", project(1, 2_000), {}],
      ["over 1 MiB (native hash, stored image rows)", project(5, 300_000), {}],
      ["uncompressed members", project(3, 200_000), { compress: false }],
    ];
    for (const [name, files, options] of cases) {
      const output = join(dir, "out.pxa");
      const written = await packCartridgeToFile(files, output, options);
      const expected = await packCartridge(files, options);
      const actual = await Deno.readFile(output);
      assertEquals(actual.length, expected.png.length, `${name}: length`);
      assert(actual.every((b, i) => b === expected.png[i]), `${name}: bytes differ`);
      assertEquals(written.imageBytes, actual.length, `${name}: imageBytes`);
      assertEquals(written.payloadBytes, expected.payloadBytes, `${name}: payloadBytes`);
      assertEquals(namesIn(dir), ["out.pxa"], `${name}: files left beside the output`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("packCartridgeToFile packs files read from disk as packCartridge packs them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tree = join(dir, "tree");
    const files = project(4, 400_000);
    for (const f of files) {
      if (f.directory) await Deno.mkdir(join(tree, f.path), { recursive: true });
      else {
        await Deno.mkdir(join(tree, f.path, ".."), { recursive: true });
        await Deno.writeFile(join(tree, f.path), f.data);
      }
    }
    const output = join(dir, "tree.pxa");
    await packCartridgeToFile(await collectDirectory(tree), output);
    const expected = await packCartridge(files);
    assert(
      (await Deno.readFile(output)).every((b, i) => b === expected.png[i]),
      "bytes differ from the in-memory pack",
    );
    assertEquals(namesIn(dir), ["tree", "tree.pxa"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failure mid-pack leaves the old output and no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const output = join(dir, "out.pxa");
    await Deno.writeTextFile(output, "the earlier cartridge");
    let spillSeen = false;
    const failing: ArchiveInput[] = [...project(4, 300_000), {
      path: "zz-last.bin",
      size: 10,
      // Packed last (members are sorted), when the payload file already holds the others.
      get data(): Uint8Array {
        spillSeen = namesIn(dir).some((n) => n.endsWith(".pxos-spill"));
        throw new PxosError("E_IO", "could not read file to pack: gone");
      },
    }];
    await assertPxosError(() => packCartridgeToFile(failing, output), "E_IO", /gone/);
    assert(spillSeen, "the payload was not being written to a temporary file");
    assertEquals(namesIn(dir), ["out.pxa"]);
    assertEquals(await Deno.readTextFile(output), "the earlier cartridge");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "Ctrl-C removes the temporary files registered for it (skipped on Windows: no SIGINT)",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const temp = join(dir, ".x.pxos-spill");
      const script = join(dir, "hold.ts");
      const module = new URL("../../src/archive/temp_cleanup.ts", import.meta.url).href;
      await Deno.writeTextFile(
        script,
        `import { removeOnInterrupt } from ${JSON.stringify(module)};
Deno.writeTextFileSync(${JSON.stringify(temp)}, "payload");
removeOnInterrupt(${JSON.stringify(temp)});
console.log("ready");
setTimeout(() => {}, 60_000);
`,
      );
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", "--allow-write", script],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      const reader = child.stdout.getReader();
      let seen = "";
      while (!seen.includes("ready")) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      reader.releaseLock();
      assert(seen.includes("ready"), `child did not start: ${seen}`);
      assert(namesIn(dir).includes(".x.pxos-spill"), "the temporary file was not made");
      child.kill("SIGINT");
      const status = await child.status;
      await child.stdout.cancel();
      assertEquals(status.code, 130);
      assertEquals(namesIn(dir), ["hold.ts"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
