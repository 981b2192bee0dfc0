/**
 * Network grants: parsing `host`, `host:port` and `*.domain` patterns and deciding whether a URL
 * may be fetched. The decision is made on the URL as the WHATWG parser reads it (the same parser
 * `fetch` uses), so numeric IPv4 spellings (`0x7f.1`, `2130706433`) are compared in their
 * canonical dotted form and cannot slip past a name check.
 *
 * @module
 */
import { PxosError } from "../errors.ts";

/** One parsed network pattern. */
export interface NetPattern {
  /** The pattern as written (lower-cased). */
  readonly text: string;
  /** Host name or IP literal (IPv6 in brackets), without the `*.` prefix. */
  readonly host: string;
  /** True for `*.domain`: one or more labels in front of `host`, never `host` itself. */
  readonly wildcard: boolean;
  /** The only port allowed, or `undefined` for any port. */
  readonly port?: number;
}

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const NAME = `${LABEL}(?:\\.${LABEL})*`;
const PATTERN = new RegExp(`^(\\*\\.)?(${NAME}|\\[[0-9a-f:.]+\\])(?::(\\d{1,5}))?$`);

/**
 * Parses one pattern; throws `PxosError` `E_PERMISSION` for anything else.
 *
 * @example
 * ```ts
 * import { parseNetPattern } from "@pxos/core";
 * console.log(parseNetPattern("*.example.com:443")); // { text, host: "example.com", wildcard: true, port: 443 }
 * ```
 */
export function parseNetPattern(text: string): NetPattern {
  const lower = text.trim().toLowerCase();
  const m = PATTERN.exec(lower);
  const port = m?.[3] === undefined ? undefined : Number(m[3]);
  // A wildcard covers names only: `*.0.1` would otherwise become the IPv4 address 0.0.0.1.
  const badWildcard = m?.[1] !== undefined && (m[2].startsWith("[") || isIpv4(m[2]));
  if (!m || (port !== undefined && (port < 1 || port > 65535)) || badWildcard) {
    throw new PxosError(
      "E_PERMISSION",
      `expected a network pattern host, host:port or *.domain, found ${JSON.stringify(text)}`,
    );
  }
  return { text: lower, host: canonicalHost(m[2]), wildcard: m[1] !== undefined, port };
}

/** The host as the URL parser would print it (so `[::1]` and IPv4 forms compare exactly). */
function canonicalHost(host: string): string {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    throw new PxosError("E_PERMISSION", `expected a host name or IP address, found ${host}`);
  }
}

/** A URL split into what the policy checks. */
export interface NetTarget {
  /** The parsed URL. */
  readonly url: URL;
  /** Canonical hostname (IPv6 in brackets). */
  readonly host: string;
  /** The port the connection goes to (the scheme's default when the URL names none). */
  readonly port: number;
}

/**
 * Parses a guest URL: only `http:` and `https:`, no user name or password (`user@host` tricks),
 * a host. Throws `PxosError` `E_PERMISSION` otherwise.
 */
export function parseNetTarget(raw: string): NetTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PxosError("E_PERMISSION", `expected an http(s) URL, found ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PxosError(
      "E_PERMISSION",
      `only http and https URLs are allowed, found ${url.protocol}`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new PxosError(
      "E_PERMISSION",
      `URLs with a user name or password are refused (${url.host} after "@")`,
    );
  }
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return { url, host: url.hostname, port };
}

/** Whether one pattern allows a target. */
export function patternAllows(pattern: NetPattern, target: NetTarget): boolean {
  if (pattern.port !== undefined && pattern.port !== target.port) return false;
  if (!pattern.wildcard) return target.host === pattern.host;
  return target.host.endsWith(`.${pattern.host}`) && !target.host.startsWith("[") &&
    !isIpv4(target.host);
}

/** Whether the URL parser reads a host as IPv4 (its last label is numeric). */
function isIpv4(host: string): boolean {
  const last = host.slice(host.lastIndexOf(".") + 1);
  return /^(0x[0-9a-f]*|\d+)$/.test(last);
}

/**
 * Whether pattern `outer` allows everything `inner` allows (used to intersect a manifest's request
 * with the user's `--allow-net` list: a request is granted when some allowed pattern covers it).
 */
export function patternCovers(outer: NetPattern, inner: NetPattern): boolean {
  if (outer.port !== undefined && outer.port !== inner.port) return false;
  if (!outer.wildcard) return !inner.wildcard && inner.host === outer.host;
  // `*.d` covers names under `d` and the same wildcard `*.d` (whose host is `d` itself).
  return inner.host.endsWith(`.${outer.host}`) || (inner.wildcard && inner.host === outer.host);
}

/** The decision for one URL against a list of patterns. */
export interface NetDecision {
  /** Whether the URL may be fetched. */
  readonly allowed: boolean;
  /** The pattern that allowed it, or why not. */
  readonly reason: string;
}

/**
 * Decides whether `target` may be fetched under `allowed` patterns, `denied` patterns winning.
 *
 * @example
 * ```ts
 * import { decideNet, parseNetPattern, parseNetTarget } from "@pxos/core";
 * const allowed = [parseNetPattern("*.example.com")];
 * console.log(decideNet(parseNetTarget("https://api.example.com/x"), allowed).allowed); // true
 * console.log(decideNet(parseNetTarget("https://example.com.evil.net/"), allowed).allowed); // false
 * ```
 */
export function decideNet(
  target: NetTarget,
  allowed: readonly NetPattern[],
  denied: readonly NetPattern[] = [],
): NetDecision {
  const where = `${target.host}:${target.port}`;
  const deny = denied.find((p) => patternAllows(p, target));
  if (deny) return { allowed: false, reason: `${where} matches --deny-net ${deny.text}` };
  const allow = allowed.find((p) => patternAllows(p, target));
  if (allow) return { allowed: true, reason: `${where} matches ${allow.text}` };
  return {
    allowed: false,
    reason: allowed.length === 0
      ? `net is not granted (${where})`
      : `${where} matches none of the granted hosts (${allowed.map((p) => p.text).join(", ")})`,
  };
}
