/**
 * Importing one of pxOS's own modules on first use without paying for it at start-up. When Deno
 * loads a module it also reads and parses the whole module graph behind each literal
 * `import("./x.ts")` in it, even one that never runs (measured: 40–55 ms of start-up for one
 * import that reaches the engines, load ≈ 5); behind an import of a computed URL it does not.
 *
 * The price: Deno checks read permission for a computed import of a local file, as for a file
 * read. `pxos` runs with read access (`-A`, `deno task pxos`), and its sandbox process is given
 * read access to pxOS's own folder (`sandbox_process.ts`). The sandbox Worker may read nothing,
 * so the modules it loads lazily (the engines, Python's runtime) keep literal imports there.
 *
 * @module
 */
import { PxosError } from "./errors.ts";

/**
 * Imports `url` (a module of pxOS, e.g. `new URL("./x.ts", import.meta.url)`); type it with
 * `importLazily<typeof import("./x.ts")>(…)`, which Deno does not load at run time. A module this
 * process may not read is `E_USAGE`, saying so.
 */
export async function importLazily<T>(url: URL): Promise<T> {
  try {
    return await import(url.href) as T;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || /Requires (read|import) access/.test(String(e))) {
      throw new PxosError(
        "E_USAGE",
        `pxos cannot load its own module ${url.href}: ${
          (e as Error).message
        }; start it with read access to its folder (deno run -A)`,
        { cause: e },
      );
    }
    throw e;
  }
}
