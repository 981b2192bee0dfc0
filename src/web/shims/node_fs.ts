/**
 * Browser stand-in for `node:fs` in the web player's bundle: the player grants no host files
 * (there is no root to be relative to), so the synchronous file calls that use it
 * (`src/host/fs_sync.ts`) are refused before they get here; these fail if reached anyway.
 *
 * @module
 */
const unavailable = (): never => {
  throw new Error("host files are not available in the web player");
};

/** The open flags `fs_sync.ts` names (Linux values; never passed to a system here). */
export const constants = { O_RDONLY: 0, O_WRONLY: 1, O_APPEND: 0o2000, O_NONBLOCK: 0o4000 };
/** Fails: no host files. */
export const openSync: (...args: unknown[]) => never = unavailable;
/** Fails: no host files. */
export const fstatSync: (...args: unknown[]) => never = unavailable;
/** Fails: no host files. */
export const readSync: (...args: unknown[]) => never = unavailable;
/** Fails: no host files. */
export const writeSync: (...args: unknown[]) => never = unavailable;
/** Fails: no host files. */
export const closeSync: (...args: unknown[]) => never = unavailable;
