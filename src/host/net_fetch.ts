/**
 * The `net.fetch` host call: an HTTP request to a granted host. Redirects are followed here, one
 * hop at a time, and every hop is checked against the grant like the first URL (`fetch`'s own
 * redirect handling would reach hosts nobody granted). The response body is read up to a cap and
 * no further.
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";
import { PxosError } from "../errors.ts";
import { decideNet, type NetDecision, type NetPattern, parseNetTarget } from "./net_policy.ts";

/** What a run may reach on the network. */
export interface NetGrant {
  /** Allowed patterns (empty: nothing). */
  readonly allow: readonly NetPattern[];
  /** Patterns refused even when allowed (`--deny-net`). */
  readonly deny: readonly NetPattern[];
}

/** Options for {@link netFetch}. */
export interface NetFetchOptions {
  /** Largest response body in bytes before `E_MEMORY`. */
  maxResponseBytes: number;
  /** Aborts the request (e.g. at the run's deadline). */
  signal?: AbortSignal;
  /** Called with the decision for every hop (first URL and each redirect), for the audit log. */
  onDecision?: (url: string, decision: NetDecision) => void;
}

/** Most redirects followed before `E_NET`. */
export const MAX_REDIRECTS = 10;

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Performs one guest request and answers in the host-call table's text form: the status code,
 * `name: value` lines, an empty line, the body. Throws `E_PERMISSION` for a refused URL (also a
 * refused redirect), `E_MEMORY` for a body over the cap, `E_NET` for network failures.
 */
export async function netFetch(
  grant: NetGrant,
  args: { method: string; url: string; headers: string; body: string },
  options: NetFetchOptions,
): Promise<string> {
  let method = (args.method || "GET").toUpperCase();
  if (!METHODS.has(method)) {
    throw new PxosError(
      "E_NET",
      `net.fetch: expected an HTTP method, found ${JSON.stringify(args.method)}`,
    );
  }
  const headers = parseHeaderLines(args.headers);
  let body: string | undefined = args.body === "" ? undefined : args.body;
  let url = args.url;
  for (let hop = 0;; hop++) {
    let target;
    try {
      target = parseNetTarget(url);
    } catch (e) {
      options.onDecision?.(url, { allowed: false, reason: (e as Error).message });
      throw e;
    }
    const decision = decideNet(target, grant.allow, grant.deny);
    options.onDecision?.(target.url.href, decision);
    if (!decision.allowed) {
      const what = hop === 0 ? "" : ` (redirect ${hop})`;
      throw new PxosError("E_PERMISSION", `net.fetch${what}: ${decision.reason}`);
    }
    let response: Response;
    try {
      response = await fetch(target.url, {
        method,
        headers,
        body: method === "GET" || method === "HEAD" ? undefined : body,
        redirect: "manual",
        signal: options.signal,
      });
    } catch (e) {
      throw new PxosError("E_NET", `net.fetch: ${target.url.href}: ${(e as Error).message}`);
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) {
        throw new PxosError("E_NET", `net.fetch: more than ${MAX_REDIRECTS} redirects`);
      }
      try {
        url = new URL(location, target.url).href;
      } catch {
        throw new PxosError(
          "E_NET",
          `net.fetch: ${target.url.href} redirects to an invalid URL ${JSON.stringify(location)}`,
        );
      }
      // Credentials the guest meant for one host are not handed to another (as browsers do).
      if (new URL(url).host !== target.url.host) {
        for (const name of ["authorization", "cookie", "proxy-authorization"]) headers.delete(name);
      }
      // 303, and 301/302 after a POST, turn into a GET without a body (as browsers do).
      if (response.status === 303 || (response.status <= 302 && method === "POST")) {
        method = "GET";
        body = undefined;
      }
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await readCapped(response, options.maxResponseBytes);
    } catch (e) {
      // The cap's E_MEMORY passes; a reset or an abort while reading the body is a network error.
      if (e instanceof PxosError) throw e;
      throw new PxosError("E_NET", `net.fetch: ${target.url.href}: ${(e as Error).message}`);
    }
    return formatResponse(response, bytes);
  }
}

/** Parses `Name: value` lines (empty lines ignored); throws `E_NET` for a malformed one. */
function parseHeaderLines(text: string): Headers {
  const headers = new Headers();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const colon = line.indexOf(":");
    try {
      if (colon <= 0) throw new Error("no colon");
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      throw new PxosError(
        "E_NET",
        `net.fetch: expected a "Name: value" header line, found ${JSON.stringify(line)}`,
      );
    }
  }
  return headers;
}

async function readCapped(response: Response, cap: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > cap) {
    await response.body?.cancel();
    throw overCap(cap, `${declared} bytes declared`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      total += chunk.length;
      if (total > cap) {
        // Leaving the loop early cancels the stream: nothing more is read.
        throw overCap(cap, `more than ${cap} bytes received`);
      }
      chunks.push(chunk);
    }
  }
  return concatBytes(chunks);
}

function overCap(cap: number, found: string): PxosError {
  return new PxosError(
    "E_MEMORY",
    `net.fetch: response body over the ${cap}-byte limit (${found})`,
  );
}

function formatResponse(response: Response, body: Uint8Array): string {
  let head = `${response.status}\n`;
  for (const [name, value] of response.headers) head += `${name}: ${value}\n`;
  return `${head}\n${new TextDecoder().decode(body)}`;
}
