/**
 * The runnable `pxos` command: `deno run -A jsr:@pxos/cli boot cart.pxa`.
 *
 * This package only starts the CLI that lives in `@pxos/core/cli`, so the library and the command
 * are versioned together.
 *
 * @module
 */
import { main } from "@pxos/core/cli";

/** Exit status of the command, for embedders that call it directly. */
export { main };

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
