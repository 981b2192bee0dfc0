/**
 * Grants: what a run may do, computed from what the manifest requests and what the user allows.
 * Nothing outside the request is ever granted: an `--allow-*` list only narrows it, `--deny-*`
 * narrows it further.
 *
 * @module
 */
import type { ManifestPermissions } from "../archive/manifest.ts";
import { PxosError } from "../errors.ts";
import { displayPath, isWithin, normalizeGuestPath } from "./fs_paths.ts";
import { parseNetPattern, patternCovers } from "./net_policy.ts";

/**
 * The permissions of one run. Paths are normalised root-relative (`""` is the root), network
 * entries are pattern texts. Plain data, so it crosses into the sandbox Worker as it is.
 */
export interface Grant {
  /** Readable directories. */
  readonly read: readonly string[];
  /** Writable directories. */
  readonly write: readonly string[];
  /** Reachable hosts. */
  readonly net: readonly string[];
  /** Paths refused for reading even inside `read`. */
  readonly denyRead: readonly string[];
  /** Paths refused for writing even inside `write`. */
  readonly denyWrite: readonly string[];
  /** Host patterns refused even when inside `net`. */
  readonly denyNet: readonly string[];
  /** Real wall clock (else the virtual clock). */
  readonly clock: boolean;
  /** Real randomness (else the seeded PRNG). */
  readonly random: boolean;
  /** The WebGPU renderer. */
  readonly gpu: boolean;
}

/** Nothing granted. */
export const NO_GRANT: Grant = Object.freeze({
  read: [],
  write: [],
  net: [],
  denyRead: [],
  denyWrite: [],
  denyNet: [],
  clock: false,
  random: false,
  gpu: false,
});

/**
 * Everything a manifest requests, as a grant. Throws `PxosError` `E_MANIFEST` for a requested
 * path that could never be granted (absolute, or climbing out of the root).
 *
 * @example
 * ```ts
 * import { requestedGrant } from "@pxos/core";
 * console.log(requestedGrant({ read: ["./data"], clock: true }).read); // ["data"]
 * ```
 */
export function requestedGrant(permissions: ManifestPermissions): Grant {
  const paths = (key: "read" | "write") =>
    unique((permissions[key] ?? []).map((p, i) => {
      try {
        return normalizeGuestPath(p);
      } catch (e) {
        throw new PxosError("E_MANIFEST", `permissions.${key}[${i}]: ${(e as Error).message}`);
      }
    }));
  return {
    ...NO_GRANT,
    read: paths("read"),
    write: paths("write"),
    net: unique((permissions.net ?? []).map((p, i) => {
      // The manifest's own check is looser (ports 0 and over 65535, long labels): same code.
      try {
        return parseNetPattern(p).text;
      } catch (e) {
        throw new PxosError("E_MANIFEST", `permissions.net[${i}]: ${(e as Error).message}`);
      }
    })),
    clock: permissions.clock === true,
    random: permissions.random === true,
    gpu: permissions.gpu === true,
  };
}

/** One `--allow-*` or `--deny-*` choice: `true` for "all of it", or a list. */
export type PathChoice = true | readonly string[];

/** What the user allowed and denied (flags, or the answers to the prompt). */
export interface GrantChoice {
  /** `--yes`: everything requested. */
  yes?: boolean;
  /** `--allow-read[=…]`. */
  allowRead?: PathChoice;
  /** `--allow-write[=…]`. */
  allowWrite?: PathChoice;
  /** `--allow-net[=…]`. */
  allowNet?: PathChoice;
  /** `--allow-clock`. */
  allowClock?: boolean;
  /** `--allow-random`. */
  allowRandom?: boolean;
  /** `--allow-gpu`. */
  allowGpu?: boolean;
  /** `--deny-read[=…]`. */
  denyRead?: PathChoice;
  /** `--deny-write[=…]`. */
  denyWrite?: PathChoice;
  /** `--deny-net[=…]`. */
  denyNet?: PathChoice;
  /** `--deny-clock`. */
  denyClock?: boolean;
  /** `--deny-random`. */
  denyRandom?: boolean;
  /** `--deny-gpu`. */
  denyGpu?: boolean;
}

/**
 * The grant for a run: the request narrowed by the user's choice. A requested path is granted
 * when an allowed path contains it; an allowed path inside a requested one is granted as itself.
 * Host patterns likewise. Denials win over `--yes` and `--allow-*`.
 *
 * @example
 * ```ts
 * import { decideGrant, requestedGrant } from "@pxos/core";
 * const request = requestedGrant({ read: ["data"], write: ["saves"], clock: true });
 * const grant = decideGrant(request, { allowRead: ["data/maps"], allowClock: true });
 * console.log(grant.read, grant.write, grant.clock); // ["data/maps"] [] true
 * ```
 */
export function decideGrant(request: Grant, choice: GrantChoice): Grant {
  const yes = choice.yes === true;
  const denyRead = listOf(choice.denyRead).map(normalizeGuestPath);
  const denyWrite = listOf(choice.denyWrite).map(normalizeGuestPath);
  const denyNet = listOf(choice.denyNet).map(parseNetPattern);
  // A grant a deny covers entirely is no grant: dropping it here keeps "# granted:" honest.
  const pathsFor = (
    requested: readonly string[],
    deniedPaths: readonly string[],
    allow?: PathChoice,
    deny?: PathChoice,
  ) => {
    if (deny === true) return [];
    const granted = yes || allow === true
      ? [...requested]
      : intersectPaths(requested, (allow ?? []).map(normalizeGuestPath));
    return granted.filter((p) => !deniedPaths.some((d) => isWithin(p, d)));
  };
  const flag = (requested: boolean, allow?: boolean, deny?: boolean) =>
    requested && !deny && (yes || allow === true);
  const net = choice.denyNet === true
    ? []
    : yes || choice.allowNet === true
    ? [...request.net]
    : intersectNet(request.net, choice.allowNet ?? []);
  return {
    read: pathsFor(request.read, denyRead, choice.allowRead, choice.denyRead),
    write: pathsFor(request.write, denyWrite, choice.allowWrite, choice.denyWrite),
    net: net.filter((n) => !denyNet.some((d) => patternCovers(d, parseNetPattern(n)))),
    denyRead,
    denyWrite,
    denyNet: denyNet.map((p) => p.text),
    clock: flag(request.clock, choice.allowClock, choice.denyClock),
    random: flag(request.random, choice.allowRandom, choice.denyRandom),
    gpu: flag(request.gpu, choice.allowGpu, choice.denyGpu),
  };
}

/**
 * Lines describing a grant (or a request), e.g. `read ./data`; empty when nothing. A deny inside
 * a granted folder or host pattern is shown with it (`read ./data (except ./data/sub)`), so the
 * lines say what the run may really do. `where` shows a folder's absolute path beside it.
 *
 * @example
 * ```ts
 * import { describeGrant, NO_GRANT } from "@pxos/core";
 * console.log(describeGrant({ ...NO_GRANT, read: ["data"], denyRead: ["data/sub"] }));
 * // ["read ./data (except ./data/sub)"]
 * ```
 */
export function describeGrant(grant: Grant, where?: (path: string) => string): string[] {
  const lines: string[] = [];
  const folder = (kind: string, p: string, denied: readonly string[]) => {
    const except = denied.filter((d) => isWithin(d, p)).map(displayPath);
    const abs = where ? ` [${where(p)}]` : "";
    lines.push(
      `${kind} ${displayPath(p)}${abs}${except.length ? ` (except ${except.join(", ")})` : ""}`,
    );
  };
  for (const p of grant.read) folder("read", p, grant.denyRead);
  for (const p of grant.write) folder("write", p, grant.denyWrite);
  for (const p of grant.net) {
    const pattern = parseNetPattern(p);
    const except = grant.denyNet.filter((d) => patternCovers(pattern, parseNetPattern(d)));
    lines.push(`net ${p}${except.length ? ` (except ${except.join(", ")})` : ""}`);
  }
  if (grant.clock) lines.push("clock");
  if (grant.random) lines.push("random");
  if (grant.gpu) lines.push("gpu");
  return lines;
}

function listOf(choice: PathChoice | undefined): readonly string[] {
  return choice === undefined || choice === true ? [] : choice;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function intersectPaths(requested: readonly string[], allowed: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of requested) {
    if (allowed.some((a) => isWithin(r, a))) out.push(r);
    else out.push(...allowed.filter((a) => isWithin(a, r)));
  }
  return unique(out);
}

function intersectNet(requested: readonly string[], allowed: readonly string[]): string[] {
  const allowedPatterns = allowed.map(parseNetPattern);
  const out: string[] = [];
  for (const text of requested) {
    const r = parseNetPattern(text);
    if (allowedPatterns.some((a) => patternCovers(a, r))) out.push(r.text);
    else out.push(...allowedPatterns.filter((a) => patternCovers(r, a)).map((a) => a.text));
  }
  return unique(out);
}

/**
 * A grant of the switch-like permissions only (`clock`, `random`, `gpu`), for embedders and
 * tests that need no files or network.
 *
 * @example
 * ```ts
 * import { grantOf } from "@pxos/core";
 * console.log(grantOf(["clock"]).clock); // true
 * ```
 */
export function grantOf(permissions: Iterable<"clock" | "random" | "gpu">): Grant {
  const set = new Set(permissions);
  return { ...NO_GRANT, clock: set.has("clock"), random: set.has("random"), gpu: set.has("gpu") };
}
