/**
 * The limits a run gets, apart from `cartridge_load.ts` (which re-exports it): a sandbox Worker
 * needs this and not the environment checks behind loading a cartridge (the manifest's schema,
 * the version ranges), which it would otherwise load at every start.
 *
 * @module
 */
import { DEFAULT_LIMITS, type Limits } from "../host/limits.ts";

/**
 * The limits a run gets: the caller's value where it gives one (the user's `--fuel`, `--timeout`,
 * `--memory`, `--output` win, up or down), else the manifest's request, else the default. Whether
 * a request above the default is granted is the caller's decision (`pxos boot` shows it and
 * passes the default when it is not granted).
 *
 * @example
 * ```ts
 * import { effectiveLimits } from "@pxos/core";
 * console.log(effectiveLimits({ fuel: 1000 }, { fuel: 10 }).fuel); // 10
 * console.log(effectiveLimits({ fuel: 1000 }).fuel); // 1000
 * ```
 */
export function effectiveLimits(
  requested: Partial<Limits>,
  overrides: Partial<Limits> = {},
): Limits {
  const pick = (key: keyof Limits) => overrides[key] ?? requested[key] ?? DEFAULT_LIMITS[key];
  return {
    fuel: pick("fuel"),
    timeoutMs: pick("timeoutMs"),
    memoryBytes: pick("memoryBytes"),
    outputBytes: pick("outputBytes"),
  };
}
