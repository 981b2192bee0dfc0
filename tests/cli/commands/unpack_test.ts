import { assert, assertEquals, assertMatch, assertPxosError } from "../../assert.ts";
import { decodeCartridgeImage, encodeCartridgeImage, packArchive } from "../../../mod.ts";
import { pseudoRandomBytes } from "../../archive/helpers.ts";
import { partlyStored } from "../../pixel/partly_stored.ts";

Deno.test("pxos unpack reads such an image again the usual way", async () => {
  const text = (s: string) => new TextEncoder().encode(s);
  const files = [
    { path: "pxos.json", data: text('{"name":"p","version":"1.0.0","entry":"main.pxasm"}') },
    { path: "main.pxasm", data: text("PUSH 1\nPRINT\nHALT\n") },
    { path: "data.txt", data: text("pixel cartridge ".repeat(4000)) },
  ];
  const dir = await Deno.makeTempDir();
  try {
    const cart = `${dir}/p.pxa`;
    const payload = await packArchive(files, { compress: false }); // rows that deflate
    const png = await partlyStored(payload, 3, payload.length);
    await assertPxosError(
      () => decodeCartridgeImage(png.slice(), { consumeInput: true }),
      "E_PNG_CORRUPT",
      /read in place/,
    ); // so the command's first attempt fails, and it must read the file again
    await Deno.writeFile(cart, png);
    const cli = new URL("../../../cli.ts", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", cli, "unpack", cart, "-o", `${dir}/out`, "-q"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    for (const f of files) assertEquals(await Deno.readFile(`${dir}/out/${f.path}`), f.data);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pxos unpack streams a large cartridge; a damaged member still fails as before, leaving nothing", async () => {
  const text = (s: string) => new TextEncoder().encode(s);
  const files = [
    { path: "pxos.json", data: text('{"name":"p","version":"1.0.0","entry":"main.pxasm"}') },
    { path: "main.pxasm", data: text("PUSH 1\nPRINT\nHALT\n") },
    // Over 1 MiB of bytes that do not deflate: `pack` stores such rows, and unpack streams them.
    ...[1, 2, 3].map((i) => ({ path: `d/n${i}.bin`, data: pseudoRandomBytes(450_000, i) })),
  ];
  const dir = await Deno.makeTempDir();
  const unpack = (cart: string, out: string) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../../../cli.ts", import.meta.url).pathname,
        "unpack",
        cart,
        "-o",
        out,
        "-q",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
  try {
    const payload = await packArchive(files);
    await Deno.writeFile(
      `${dir}/good.pxa`,
      await encodeCartridgeImage(payload, { compression: "store" }),
    );
    const good = await unpack(`${dir}/good.pxa`, `${dir}/good`);
    assert(good.success, new TextDecoder().decode(good.stderr));
    for (const f of files) assertEquals(await Deno.readFile(`${dir}/good/${f.path}`), f.data);

    payload[payload.length - 100] ^= 1; // inside the last member
    await Deno.writeFile(
      `${dir}/bad.pxa`,
      await encodeCartridgeImage(payload, { compression: "store" }),
    );
    const bad = await unpack(`${dir}/bad.pxa`, `${dir}/bad`);
    assert(!bad.success);
    assertMatch(new TextDecoder().decode(bad.stderr), /E_ARCHIVE_HASH/);
    assertEquals(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      ["bad.pxa", "good", "good.pxa"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
