/**
 * Bundles the web player for the browser with esbuild's JavaScript API, from the esbuild npm
 * package pinned in deno.json/deno.lock (`npm:esbuild@0.25.5`): it and its platform binary are
 * installed with every other npm dependency, so bundling never downloads anything (`deno bundle`
 * fetches esbuild's registry entry on first use, even when the package is cached, which made the
 * browser tests depend on the network).
 *
 * Resolution is Deno's: relative imports are files; `node:` modules that the player's code
 * imports map to the browser stand-ins named in `bundle.json`; npm packages resolve through a
 * `node_modules` folder of links (made for the build) to the exact versions in `deno.lock`, each
 * in Deno's npm cache, so esbuild applies the packages' own `exports` and `browser` fields.
 *
 * @module
 */
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { PxosError } from "../errors.ts";

/** The import map of the bundle: `node:` names → stand-in files (relative to `src/web/`). */
interface BundleConfig {
  imports: Record<string, string>;
}

/** `name@version` keys of the lock's `npm` section → [name, version]. */
function lockedPackages(lock: { npm?: Record<string, unknown> }): [string, string][] {
  return Object.keys(lock.npm ?? {}).map((key) => {
    const at = key.indexOf("@", 1);
    const version = key.slice(at + 1).split("_")[0]; // drop a peer-dependency suffix
    return [key.slice(0, at), version] as [string, string];
  });
}

/** Deno's npm cache folder of the registry (holding `<name>/<version>/`), found via esbuild. */
function npmRegistryFolder(): string {
  // `.../registry.npmjs.org/esbuild/0.25.5/lib/main.js` → `.../registry.npmjs.org`
  const main = import.meta.resolve("esbuild");
  if (!main.startsWith("file:")) {
    throw new PxosError("E_RUNTIME", `expected esbuild in Deno's npm cache, found ${main}`);
  }
  return dirname(dirname(dirname(dirname(fromFileUrl(main)))));
}

/** Links `node_modules/<name>` → the locked version in the npm cache (those present here). */
async function linkPackages(root: string, registry: string, lockPath: string): Promise<string> {
  const lock = JSON.parse(await Deno.readTextFile(lockPath));
  const modules = join(root, "node_modules");
  for (const [name, version] of lockedPackages(lock)) {
    const target = join(registry, name, version);
    if (!(await Deno.stat(target).then((s) => s.isDirectory, () => false))) continue;
    const link = join(modules, name);
    await Deno.mkdir(dirname(link), { recursive: true });
    await Deno.symlink(target, link);
  }
  return modules;
}

/**
 * Bundles `entry` (a local file URL) as one ES module for the browser.
 *
 * @example
 * ```ts ignore
 * import { bundleForBrowser } from "./bundle.ts";
 * const js = await bundleForBrowser(new URL("./player.ts", import.meta.url));
 * ```
 */
export async function bundleForBrowser(entry: URL): Promise<Uint8Array> {
  const here = new URL(".", import.meta.url);
  let esbuild: typeof import("esbuild") | undefined;
  let root: string | undefined;
  try {
    const config: BundleConfig = JSON.parse(
      await Deno.readTextFile(new URL("./bundle.json", here)),
    );
    const aliases = new Map(
      Object.entries(config.imports).filter(([name]) => name.startsWith("node:")).map((
        [name, file],
      ) => [name, fromFileUrl(new URL(file, here))]),
    );
    esbuild = await import("esbuild");
    root = await Deno.makeTempDir({ prefix: "pxos-bundle-" });
    const lock = fromFileUrl(new URL("../../deno.lock", here));
    const nodePaths = [await linkPackages(root, npmRegistryFolder(), lock)];
    const result = await esbuild.build({
      entryPoints: [fromFileUrl(entry)],
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      target: "es2022",
      nodePaths,
      logLevel: "silent",
      plugins: [{
        name: "pxos-node-stand-ins",
        setup(build) {
          const builtins = new RegExp(`^(node:.*|${builtinModules.join("|")})(/.*)?$`);
          build.onResolve({ filter: builtins }, (args) => {
            const name = args.path.startsWith("node:") ? args.path : `node:${args.path}`;
            const file = aliases.get(name);
            // Node modules without a stand-in are only reached on Node code paths of packages
            // (guarded at run time): leave them to the browser, as `deno bundle` did.
            return file ? { path: file } : { path: name, external: true };
          });
        },
      }],
    });
    return result.outputFiles[0].contents;
  } catch (e) {
    if (e instanceof PxosError) throw e;
    if (e instanceof Deno.errors.NotFound) {
      throw new PxosError(
        "E_RUNTIME",
        `the web player is bundled from pxOS's sources, which this pxos lacks (${
          (e as Error).message
        }): run pxos serve/export from a checkout (deno task pxos)`,
      );
    }
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number } }[] })
      .errors;
    const detail = errors?.map((m) =>
      m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text
    ).join("; ");
    throw new PxosError(
      "E_RUNTIME",
      `could not bundle the web player: ${detail ?? (e as Error).message}`,
      { cause: e },
    );
  } finally {
    await esbuild?.stop();
    if (root) await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}
