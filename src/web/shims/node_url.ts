/**
 * Browser stand-in for `node:url` in the web player's bundle: `fileURLToPath` (unused there).
 *
 * @module
 */
/** The path of a `file:` URL. */
export function fileURLToPath(url: string | URL): string {
  return decodeURIComponent(new URL(url).pathname);
}
