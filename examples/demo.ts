/**
 * `deno task demo`: packs `examples/hello/` into a cartridge (assembling its source), inspects,
 * verifies and boots it, and says where the image is.
 */
import { runCli } from "../src/cli/main.ts";

const cart = "out/hello.pxa";
const steps: [string, string[]][] = [
  ["pack", ["pack", "examples/hello", "-o", cart, "--compile"]],
  ["inspect", ["inspect", cart]],
  ["verify", ["verify", cart]],
  ["boot", ["boot", cart]],
];

await Deno.mkdir("out", { recursive: true });
for (const [title, args] of steps) {
  console.log(`\n$ pxos ${args.join(" ")}`);
  const code = await runCli(args);
  if (code !== 0) {
    console.error(`demo: the ${title} step failed with exit code ${code}`);
    Deno.exit(code);
  }
}
console.log(
  `\nThe cartridge is an ordinary PNG: open ${Deno.realPathSync(cart)} in any image viewer.`,
);
