import { decode } from "fast-png";
import { assertEquals, assertMatch } from "../assert.ts";
import { runCli } from "../../src/cli/main.ts";
import { capturedIO } from "../../src/cli/io.ts";

Deno.test("pxos render writes the PNG, prints INFO, reports bad lines and goes on", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const scene = `${dir}/s.pxterm`;
    await Deno.writeTextFile(
      scene,
      "CANVAS 8 4\nCLEAR 0 0 255\nBOGUS 1\nSAVE mid.png\nPRESENT\nRECT 0 0 2 2 255 0 0\nINFO\n",
    );
    const io = capturedIO();
    const code = await runCli(
      ["render", scene, "-o", `${dir}/out.png`, "--renderer", "cpu", "--apng", `${dir}/a.png`],
      io,
    );
    assertEquals(code, 0);
    assertMatch(io.stderr, /s\.pxterm:3: error: unknown command "BOGUS"/);
    assertMatch(io.stdout, /canvas 8x4, 1 layer\(s\)/);
    assertMatch(io.stdout, /wrote .*out\.png \(8x4, cpu renderer, 1 bad line\(s\)\)/);
    assertMatch(io.stdout, /wrote .*a\.png \(2 frame\(s\)\)/);
    const out = decode(await Deno.readFile(`${dir}/out.png`));
    assertEquals(Array.from((out.data as Uint8Array).subarray(0, 4)), [255, 0, 0, 255]);
    const mid = decode(await Deno.readFile(`${dir}/mid.png`));
    assertEquals(Array.from((mid.data as Uint8Array).subarray(0, 4)), [0, 0, 255, 255]);
    const strict = capturedIO();
    assertEquals(
      await runCli(
        ["render", scene, "-o", `${dir}/o2.png`, "--renderer", "cpu", "--strict"],
        strict,
      ),
      2,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pxos render: usage errors exit 1, a missing file exits 2", async () => {
  const io = capturedIO();
  assertEquals(await runCli(["render"], io), 1);
  assertMatch(io.stderr, /expected <scene\.pxterm>/);
  assertEquals(await runCli(["render", "x.pxterm", "-o", "y.png", "--renderer", "gl"], io), 1);
  assertEquals(await runCli(["render", "/nonexistent/x.pxterm", "-o", "/tmp/y.png"], io), 2);
});
