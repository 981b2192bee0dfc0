/**
 * The pxOS runtime version (checked against a manifest's `pxos` range at boot).
 *
 * @module
 */

/** This runtime's version, semver. Keep equal to `deno.json`'s `version` (a test checks). */
export const PXOS_VERSION = "0.1.0";
