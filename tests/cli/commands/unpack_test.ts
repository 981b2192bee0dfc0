import { assert, assertEquals, assertPxosError } from "../../assert.ts";
import { decodeCartridgeImage, packArchive } from "../../../mod.ts";
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
