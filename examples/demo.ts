/**
 * `deno task demo`: packs `examples/hello/` into a cartridge (assembling its source), inspects,
 * verifies and boots it; then packs and boots the graphics example `examples/pxvm-window/` and
 * says where the images are.
 */
import { runCli } from "../src/cli/main.ts";

const steps: string[][] = [
  ["pack", "examples/hello", "-o", "out/hello.pxa", "--compile"],
  ["inspect", "out/hello.pxa"],
  ["verify", "out/hello.pxa"],
  ["boot", "out/hello.pxa"],
  ["pack", "examples/pxvm-window", "-o", "out/pxvm-window.pxa", "--compile"],
  ["boot", "out/pxvm-window.pxa", "--frames", "out/pxvm-window.frames"],
];

await Deno.mkdir("out", { recursive: true });
for (const args of steps) {
  console.log(`\n$ pxos ${args.join(" ")}`);
  const code = await runCli(args);
  if (code !== 0) {
    console.error(`demo: pxos ${args[0]} failed with exit code ${code}`);
    Deno.exit(code);
  }
}
console.log(`
The cartridges are ordinary PNG images: open ${
  Deno.realPathSync("out/hello.pxa")
} in any image viewer.
The window program's last frame is ${Deno.realPathSync("out/pxvm-window.frames")}/frame-0003.png.`);
