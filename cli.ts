/**
 * The `pxos` command line.
 *
 * @example
 * ```sh
 * deno run -A jsr:@pxos/cli pack examples/hello -o hello.pxa
 * deno run -A jsr:@pxos/cli verify hello.pxa
 * ```
 *
 * @module
 */
import { runCli } from "./src/cli/main.ts";

/**
 * Runs `pxos` with `args` and resolves to its exit code (it does not exit the process).
 *
 * @example
 * ```ts
 * import { main } from "@pxos/core/cli";
 * const code = await main(["--version"]);
 * console.log(code === 0);
 * ```
 */
export function main(args: string[]): Promise<number> {
  return runCli(args);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
