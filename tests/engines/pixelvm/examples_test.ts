/**
 * Every example, built the way `pxos pack --compile` builds a cartridge (each .pxasm compiled to
 * .pxi through the engine's `compile` hook) and run the way `pxos boot` runs one (load the entry
 * with the cartridge's files, then run).
 */
import { pixelvmEngine } from "../../../src/engines/pixelvm/engine.ts";
import { createHost, GuestExit } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { assertEquals } from "../../assert.ts";

/** Expected stdout and exit code per example. */
export const EXPECTED: Record<string, { stdout: string; exitCode: number }> = {
  countdown: { stdout: "5\n4\n3\n2\n1\n", exitCode: 0 },
  strings: {
    stdout: "Hello, pixels!\nHello from PixelVM memory!\npxOS has 4 letters\np.x.O.S.\n" +
      "Unicode: héllo ✓\n",
    exitCode: 0,
  },
  fib: {
    stdout: [
      0,
      1,
      1,
      2,
      3,
      5,
      8,
      13,
      21,
      34,
      55,
      89,
      144,
      233,
      377,
      610,
      987,
      1597,
      2584,
      4181,
      6765,
    ]
      .map((v, n) => `fib(${n}) = ${v}\n`).join(""),
    exitCode: 0,
  },
  primes: {
    stdout: "2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71 73 79 83 89 97\n" +
      "25 primes below 100\n",
    exitCode: 0,
  },
  modules: {
    stdout: "math module loaded\n49\n27\nboth modules' data survived linking\n",
    exitCode: 0,
  },
};

async function buildCartridgeFiles(name: string): Promise<Map<string, Uint8Array>> {
  const dir = new URL(`../../../examples/${name}/`, import.meta.url);
  const files = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(dir)) {
    const bytes = await Deno.readFile(new URL(entry.name, dir));
    if (entry.name.endsWith(".pxasm")) {
      const compiled = pixelvmEngine.compile!(bytes, { path: entry.name });
      files.set(compiled.path, compiled.bytes);
    } else files.set(entry.name, bytes);
  }
  return files;
}

for (const [name, expected] of Object.entries(EXPECTED)) {
  Deno.test(`example ${name}: boots from its compiled files with the expected output`, async () => {
    const files = await buildCartridgeFiles(name);
    const manifest = JSON.parse(new TextDecoder().decode(files.get("pxos.json")));
    assertEquals(manifest.entry, "main.pxi");
    assertEquals(manifest.name, name);
    let stdout = "";
    const host = createHost({ stdout: (t) => (stdout += t), cartFiles: files });
    const program = await pixelvmEngine.load(files.get("main.pxi")!, { path: "main.pxi", files });
    let exitCode: number;
    try {
      exitCode = (await pixelvmEngine.run(program, host, DEFAULT_LIMITS)).exitCode;
    } catch (e) {
      if (!(e instanceof GuestExit)) throw e;
      exitCode = e.exitCode;
    }
    assertEquals(stdout, expected.stdout);
    assertEquals(exitCode, expected.exitCode);
  });
}
