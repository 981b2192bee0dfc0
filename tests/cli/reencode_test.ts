import { join } from "node:path";
import { assertEquals } from "../assert.ts";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";
import { findImageMagick, runImageMagick } from "../pixel/imagemagick.ts";
import { pseudoRandomBytes, utf8 } from "../archive/helpers.ts";

const imagemagick = await findImageMagick();
const required = Deno.env.get("PXOS_REQUIRE_IMAGEMAGICK") === "1";
if (!imagemagick && !required) {
  console.warn(
    "SKIPPING cartridge re-encode tests: ImageMagick not found (apt-get install imagemagick)",
  );
}

Deno.test({
  name:
    "a packed cartridge still verifies and unpacks identically after ImageMagick re-encodes it" +
    (imagemagick || required ? "" : " (SKIPPED: no ImageMagick)"),
  ignore: !imagemagick && !required,
  async fn() {
    if (!imagemagick) throw new Error("PXOS_REQUIRE_IMAGEMAGICK=1 but no ImageMagick was found");
    const tmp = await Deno.makeTempDir();
    const input = join(tmp, "in");
    await Deno.mkdir(join(input, "sub"), { recursive: true });
    const files = new Map([
      ["pxos.json", utf8(JSON.stringify({ name: "re", version: "1.0.0", entry: "a.pxterm" }))],
      ["a.pxterm", utf8("text ".repeat(1000))],
      ["sub/b.bin", pseudoRandomBytes(40_000, 5)],
    ]);
    for (const [p, d] of files) await Deno.writeFile(join(input, ...p.split("/")), d);
    const cart = join(tmp, "c.pxa");
    assertEquals(await runCli(["pack", input, "-o", cart], capturedIO()), 0);
    const variants: [string, string[]][] = [
      ["strip", ["-strip"]],
      ["rgba", ["-define", "png:color-type=6"]],
      ["recompress", ["-define", "png:compression-level=9", "-define", "png:compression-filter=5"]],
    ];
    for (const [name, args] of variants) {
      const out = join(tmp, `${name}.png`);
      await runImageMagick(imagemagick, [cart, ...args, out.endsWith(".png") ? `PNG:${out}` : out]);
      const io = capturedIO();
      assertEquals(await runCli(["verify", out], io), 0, `${name}: ${io.stderr}`);
      const dir = join(tmp, `out-${name}`);
      assertEquals(await runCli(["unpack", out, "-o", dir], capturedIO()), 0);
      for (const [p, d] of files) {
        assertEquals(await Deno.readFile(join(dir, ...p.split("/"))), d, `${name}: ${p}`);
      }
    }
    await Deno.remove(tmp, { recursive: true });
  },
});
