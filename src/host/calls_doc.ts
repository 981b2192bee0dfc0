/**
 * Generates `docs/HOST_CALLS.md` from {@link HOST_CALLS}, so the page cannot drift from the code
 * (a test compares it with the committed file, after `deno fmt`).
 *
 * @module
 */
import { HOST_CALLS } from "./calls.ts";

const cell = (s: string) => s.replaceAll("|", "\\|");

/**
 * The host-call reference page (Markdown).
 *
 * @example
 * ```ts
 * import { generateHostCallsDoc } from "@pxos/core";
 * console.log(generateHostCallsDoc().split("\n")[0]); // "# Host calls"
 * ```
 */
export function generateHostCallsDoc(): string {
  const rows = HOST_CALLS.map((c) =>
    `| ${c.id} | \`${c.name}\` | ${
      c.args.map((a) => `${a.name}: ${a.type}`).join(", ") || "—"
    } | ${c.result} | ${c.permission ?? "—"} | ${cell(c.doc)} |`
  ).join("\n");
  return `# Host calls

Generated from \`src/host/calls.ts\` by \`generateHostCallsDoc()\`; do not edit by hand (regenerate
with \`deno run --allow-read --allow-write --allow-run tests/host/regenerate_doc.ts\`).

Every engine reaches the world outside its VM only through this table. The host checks each call
against the run's grant before doing anything (layer 1, see [SECURITY.md](SECURITY.md)); the
sandbox Worker's Deno permissions repeat the grant (layer 2).

| id | name | arguments | result | permission | what it does |
| -- | ---- | --------- | ------ | ---------- | ------------ |
${rows}

## Permissions

- **—**: always allowed.
- **read / write**: the path is relative to the run's root (\`--root\`, default the current
  directory) and must lie inside a granted directory after \`..\` and symbolic links are resolved.
  \`read\` implies nothing about \`write\`, nor the other way round.
- **net**: the URL's host and port (the scheme's default port when none is given) must match a
  granted pattern: \`host\`, \`host:port\` or \`*.domain\` (one or more labels, never the bare
  domain). URLs with a user name or password are refused; redirects are followed one hop at a
  time and each hop is checked again. The response body is capped by the run's memory limit.
- **clock / random**: never refused. Without the grant the answer comes from a virtual clock
  (starting 2000-01-01, 1 ms per read) or a PRNG seeded from the cartridge digest (or \`--seed\`),
  so two runs print the same.

## Errors the guest sees

The host throws \`PxosError\`: \`E_PERMISSION\` for a refusal, \`E_IO\` for a missing or unreadable
file, \`E_NET\` for a failed request, \`E_MEMORY\` for a file or response over the cap. Engines hand
these to the guest as errors it can handle, never as a silent success:

- **PixelVM**: the call pushes -1 for a refusal, -2 for a missing file or I/O error, -3 for a
  network error ([engines/pixelvm.md](engines/pixelvm.md)).
- **pxVM**: R0 = -1 after a refused call ([engines/pxvm.md](engines/pxvm.md)).
- **Poh**: a catchable \`PermissionError\`, \`FileError\` or \`NetworkError\`
  ([engines/poh.md](engines/poh.md)).

Every permission-checked call (and each redirect hop) is one line of \`pxos boot --audit FILE\`.
`;
}
