/**
 * The serving side of `net`: `net.listen`, `net.accept`, `net.respond` and `net.close`. A guest
 * may listen only on a loopback address whose `host:port` its `net` grant allows (the same
 * patterns `--allow-net` gives `net.fetch`); every listen and every accepted request is audited.
 * Requests wait in a bounded queue until the guest accepts them, and each waits for the guest's
 * answer; closing the server (or the run's deadline aborting it) answers what is left with 503.
 *
 * @module
 */
import { concatBytes } from "../bytes.ts";
import { PxosError } from "../errors.ts";
import type { HostValue } from "./calls.ts";
import type { NetGrant } from "./net_fetch.ts";
import { decideNet, parseNetTarget } from "./net_policy.ts";

/** Options for {@link createNetServe}. */
export interface NetServeContext {
  /** What the run may reach (listening is checked against the same patterns). */
  net: NetGrant;
  /** Largest request body in bytes (bigger ones are answered 413 without reaching the guest). */
  maxBytes: number;
  /** Closes every server of the run (the run's deadline). */
  signal?: AbortSignal;
  /** Records one decision (`call`, target, allowed, reason). */
  audit: (call: string, target: string, allowed: boolean, reason: string) => void;
}

/** Performs the serving calls of one run. */
export interface NetServe {
  /** Performs `net.listen`, `net.accept`, `net.respond` or `net.close`. */
  invoke(call: string, args: readonly HostValue[]): Promise<HostValue>;
}

/** Most servers one run may open, and most requests waiting on one server. */
const MAX_SERVERS = 8;
const MAX_QUEUED = 256;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const NO_BODY = new Set([204, 205, 304]);

interface Pending {
  id: number;
  owner: Listener;
  answer: (r: Response) => void;
}

interface Listener {
  server: Deno.HttpServer;
  stop: AbortController;
  queue: { pending: Pending; text: string }[];
  waiting: ((text: string | null) => void)[];
  closed: boolean;
}

/** Creates the serving calls for one run. */
export function createNetServe(ctx: NetServeContext): NetServe {
  const listeners = new Map<number, Listener>();
  const pending = new Map<number, Pending>();
  let nextServer = 1;
  let nextRequest = 1;

  const close = (l: Listener): Promise<void> => {
    if (l.closed) return l.server.finished.catch(() => {});
    l.closed = true;
    for (const w of l.waiting.splice(0)) w(null);
    l.queue.length = 0;
    for (const p of [...pending.values()]) {
      if (p.owner !== l) continue;
      pending.delete(p.id);
      p.answer(new Response("server closed\n", { status: 503 }));
    }
    l.stop.abort();
    return l.server.finished.catch(() => {});
  };
  ctx.signal?.addEventListener("abort", () => {
    for (const l of listeners.values()) void close(l);
  }, { once: true });

  const listen = (address: string): number => {
    const where = address.trim();
    let decision;
    let host = "";
    let port = 0;
    try {
      const target = parseNetTarget(`http://${where}/`);
      host = target.url.hostname;
      port = target.port;
      if (!LOOPBACK.has(host)) {
        throw new PxosError(
          "E_PERMISSION",
          `net.listen: expected a loopback address (127.0.0.1, localhost or [::1]), found ${host}`,
        );
      }
      decision = decideNet(target, ctx.net.allow, ctx.net.deny);
    } catch (e) {
      ctx.audit("net.listen", where, false, (e as Error).message);
      throw e instanceof PxosError
        ? e
        : new PxosError("E_NET", `net.listen: expected host:port, found ${JSON.stringify(where)}`);
    }
    ctx.audit("net.listen", where, decision.allowed, decision.reason);
    if (!decision.allowed) throw new PxosError("E_PERMISSION", `net.listen: ${decision.reason}`);
    if (listeners.size >= MAX_SERVERS) {
      throw new PxosError("E_NET", `net.listen: expected at most ${MAX_SERVERS} servers a run`);
    }
    const id = nextServer++;
    const stop = new AbortController();
    const l: Listener = { server: undefined!, stop, queue: [], waiting: [], closed: false };
    try {
      l.server = Deno.serve({
        hostname: host === "[::1]" ? "::1" : host,
        port,
        signal: stop.signal,
        onListen: () => {},
      }, (request) => receive(l, request));
    } catch (e) {
      throw new PxosError("E_NET", `net.listen ${where}: ${(e as Error).message}`);
    }
    listeners.set(id, l);
    return id;
  };

  const receive = async (l: Listener, request: Request): Promise<Response> => {
    if (l.closed) return new Response("server closed\n", { status: 503 });
    if (l.queue.length >= MAX_QUEUED) return new Response("busy\n", { status: 503 });
    const body = await readCapped(request, ctx.maxBytes);
    if (body === null) return new Response("too large\n", { status: 413 });
    const url = new URL(request.url);
    let text = `${request.method} ${url.pathname}${url.search}\n`;
    for (const [k, v] of request.headers) text += `${k}: ${v}\n`;
    text += "\n" + new TextDecoder().decode(body);
    return new Promise<Response>((answer) => {
      const p: Pending = { id: nextRequest++, owner: l, answer };
      pending.set(p.id, p);
      const line = `${p.id}\n${text}`;
      const waiter = l.waiting.shift();
      if (waiter) waiter(line);
      else l.queue.push({ pending: p, text: line });
    });
  };

  const listener = (v: HostValue | undefined, call: string): Listener => {
    const l = listeners.get(Number(v));
    if (!l) throw new PxosError("E_NET", `${call}: expected a server id, found ${String(v)}`);
    return l;
  };

  return {
    invoke(call, args) {
      switch (call) {
        case "net.listen":
          return Promise.resolve().then(() => listen(String(args[0] ?? "")));
        case "net.accept": {
          const l = listener(args[0], call);
          const first = l.queue.shift();
          const text = first
            ? Promise.resolve(first.text)
            : l.closed
            ? Promise.resolve(null)
            : new Promise<string | null>((w) => l.waiting.push(w));
          return text.then((t) => {
            if (t !== null) ctx.audit(call, t.split("\n", 2)[1] ?? "", true, "net granted");
            return t;
          });
        }
        case "net.respond": {
          const p = pending.get(Number(args[0]));
          if (!p) {
            return Promise.reject(
              new PxosError("E_NET", `net.respond: no request ${String(args[0])} is waiting`),
            );
          }
          const status = Number(args[1]);
          if (!Number.isInteger(status) || status < 200 || status > 599) {
            return Promise.reject(
              new PxosError("E_NET", `net.respond: expected a status 200–599, found ${args[1]}`),
            );
          }
          const headers = new Headers();
          for (const line of String(args[2] ?? "").split("\n")) {
            const colon = line.indexOf(":");
            if (colon <= 0) continue;
            try {
              headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
            } catch {
              return Promise.reject(
                new PxosError("E_NET", `net.respond: header ${JSON.stringify(line)} is invalid`),
              );
            }
          }
          pending.delete(p.id);
          // 204, 205 and 304 answers carry no body by HTTP's rules.
          const body = NO_BODY.has(status) ? null : String(args[3] ?? "");
          p.answer(new Response(body, { status, headers }));
          return Promise.resolve(null);
        }
        case "net.close":
          return close(listener(args[0], call)).then(() => null);
        default:
          return Promise.reject(new PxosError("E_TRAP", `host call ${call} is not available`));
      }
    },
  };
}

/** A request's body, or null once it grows past `max` bytes (read no further than that). */
async function readCapped(request: Request, max: number): Promise<Uint8Array | null> {
  if (Number(request.headers.get("content-length") ?? 0) > max) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body) {
      size += chunk.length;
      if (size > max) return null;
      chunks.push(chunk);
    }
  }
  return concatBytes(chunks);
}
