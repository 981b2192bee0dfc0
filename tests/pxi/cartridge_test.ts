/** PXI cartridges: IR JSON + builds with hashes; boot runs the stored pxVM build. */
import { assertEquals } from "../assert.ts";
import { createHost } from "../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../src/host/limits.ts";
import { addPxiBuilds, parsePxiIndex, pxiBuildsIn } from "../../src/pxi/cartridge.ts";
import { pxiEngine } from "../../src/pxi/engine.ts";
import { buildPxi } from "../../src/pxi/build.ts";
import { sha256, toHex } from "../../src/archive/hash.ts";
import { pxs } from "./helpers.ts";
import type { ArchiveInput } from "../../src/archive/writer.ts";
import { collectDirectory } from "../../src/archive/directory.ts";
import { openCartridge, packCartridge } from "../../src/archive/cartridge.ts";
import { bootCartridge } from "../../src/boot/boot.ts";

const enc = new TextEncoder();

/** The member data at `path` (these tests have no directories). */
function member(files: readonly ArchiveInput[], path: string): Uint8Array {
  const f = files.find((x) => x.path === path);
  if (!f || f.directory) throw new Error(`no file ${path}`);
  return f.data;
}

async function packed(path: string, text: string): Promise<Map<string, Uint8Array>> {
  const files = await addPxiBuilds([{ path, data: enc.encode(text) }]);
  return new Map(files.map((f) => [f.path, member(files, f.path)]));
}
const HELLO =
  'ORG 0x7C00\nMOV SI, m\nSYSCALL print_string\nMOV AL, 0\nSYSCALL halt\nm: STRING "stored\\n"\n';

async function boot(files: Map<string, Uint8Array>, entry: string): Promise<string> {
  let out = "";
  const program = await pxiEngine.load(files.get(entry)!, { path: entry, files });
  await pxiEngine.run(program, createHost({ stdout: (t) => (out += t) }), DEFAULT_LIMITS);
  return out;
}

Deno.test("pack adds the IR JSON, every build and an index with hashes; existing builds are kept", async () => {
  const files = await addPxiBuilds([{ path: "game/main.pxs", data: enc.encode(HELLO) }]);
  const paths = files.map((f) => f.path).sort();
  assertEquals(paths, [
    "game/main.boot.bin",
    "game/main.pxi-builds.json",
    "game/main.pxi.json",
    "game/main.pxs",
    "game/main.pxvm",
    "game/main.x86.bin",
  ]);
  const get = (p: string) => member(files, p);
  const index = parsePxiIndex(get("game/main.pxi-builds.json"))!;
  assertEquals(index.ir_sha256, toHex(await sha256(get("game/main.pxi.json"))));
  assertEquals(index.builds.map((b) => [b.target, b.path, b.bytes]), [
    ["x86", "game/main.x86.bin", get("game/main.x86.bin").length],
    ["x86-boot", "game/main.boot.bin", 512],
    ["pxvm", "game/main.pxvm", get("game/main.pxvm").length],
  ]);
  for (const b of index.builds) assertEquals(b.sha256, toHex(await sha256(get(b.path))));
  // A second pack keeps what is there (no build_ms: nothing was built).
  const again = await addPxiBuilds(files);
  assertEquals(
    parsePxiIndex(member(again, "game/main.pxi-builds.json"))!.builds.every((b) =>
      b.build_ms === undefined
    ),
    true,
  );
  const listed = await pxiBuildsIn(paths, async (p) => await Promise.resolve(get(p)));
  assertEquals(listed.map((l) => l.ok), [true]);
});

Deno.test("booting the IR entry runs the stored pxVM build while its hashes match", async () => {
  const files = await packed("main.pxs", HELLO);
  assertEquals(await boot(files, "main.pxs"), "stored\n");
  assertEquals(await boot(files, "main.pxi.json"), "stored\n");
  // Swap in another (valid) pxVM build and re-hash it in the index: boot runs the stored one.
  const other = buildPxi(pxs(HELLO.replace("stored", "swapped")), "pxvm").bytes;
  const index = parsePxiIndex(files.get("main.pxi-builds.json"))!;
  index.builds.find((b) => b.target === "pxvm")!.sha256 = toHex(await sha256(other));
  files.set("main.pxvm", other);
  files.set("main.pxi-builds.json", enc.encode(JSON.stringify(index)));
  assertEquals(await boot(files, "main.pxi.json"), "swapped\n");
  // A build whose hash no longer matches is not trusted: the IR is compiled instead.
  files.set("main.pxvm", buildPxi(pxs(HELLO.replace("stored", "tampered")), "pxvm").bytes);
  assertEquals(await boot(files, "main.pxi.json"), "stored\n");
});

Deno.test("a program too big for a boot sector is listed as skipped, not an error", async () => {
  const big = `ORG 0x7C00\n${"NOP\n".repeat(600)}HLT\n`;
  const index = parsePxiIndex((await packed("big.pxs", big)).get("big.pxi-builds.json"))!;
  assertEquals(index.builds.map((b) => b.target), ["x86", "pxvm"]);
  assertEquals(index.skipped[0].target, "x86-boot");
  assertEquals(/boot sector holds 510/.test(index.skipped[0].reason), true);
});

Deno.test("the pxi-hello example packs (IR + builds) and boots from its cartridge", async () => {
  const dir = new URL("../../examples/pxi-hello", import.meta.url).pathname;
  const { png } = await packCartridge(await addPxiBuilds(await collectDirectory(dir)));
  const cart = await openCartridge(png, { name: "pxi-hello.pxa" });
  assertEquals(cart.manifest.entry, "hello.pxs");
  let out = "";
  const result = await bootCartridge(cart, { stdout: (t) => (out += t) });
  assertEquals([out, result.exitCode], ["Hello from PXI!\n", 0]);
});

Deno.test("an index with odd paths, hashes or control characters is not trusted", () => {
  const good = {
    version: 1,
    ir: "a.pxi.json",
    ir_sha256: "0".repeat(64),
    builds: [{ target: "pxvm", path: "a.pxvm", sha256: "1".repeat(64), bytes: 3 }],
    skipped: [{ target: "x86-boot", reason: "too big\u001b[2J" }],
  };
  const parse = (v: unknown) => parsePxiIndex(enc.encode(JSON.stringify(v)));
  assertEquals(parse(good)?.skipped[0].reason, "too big?[2J");
  assertEquals(parse({ ...good, ir: "\u001b]0;x\u0007" }), undefined);
  assertEquals(parse({ ...good, ir: "../../etc" }), undefined);
  assertEquals(parse({ ...good, builds: [{ ...good.builds[0], path: "a\nb" }] }), undefined);
  assertEquals(parse({ ...good, builds: [{ ...good.builds[0], target: "arm" }] }), undefined);
  assertEquals(parse({ ...good, ir_sha256: "xyz" }), undefined);
});
