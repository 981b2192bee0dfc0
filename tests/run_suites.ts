/**
 * `deno task test`: runs every test suite (each in its own `deno test` process, so the WebGPU
 * suite's adapter cannot disturb the others), even when an earlier one fails, and ends with one
 * combined line, `N passed, N failed`. Exits non-zero when any suite failed.
 *
 * Suites are the `test:*` tasks of `deno.json`, run in the order written there.
 */

/** One suite's `deno test` summary, e.g. `ok | 41 passed (12 steps) | 0 failed (3s)`. */
const SUMMARY = /^(?:ok|FAILED) \| (\d+) passed.*?\| (\d+) failed/;

const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
const suites = Object.keys(config.tasks as Record<string, string>).filter((name) =>
  name.startsWith("test:")
);

let passed = 0;
let failed = 0;
let suitesFailed = 0;
for (const suite of suites) {
  console.log(`\n=== deno task ${suite}`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", suite],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let counted = false;
  let tail = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    const text = decoder.decode(chunk, { stream: true });
    await Deno.stdout.write(chunk);
    const lines = (tail + text).split("\n");
    tail = lines.pop() ?? "";
    for (const line of lines) counted = count(line) || counted;
  }
  counted = count(tail) || counted;
  const status = await child.status;
  if (!status.success) {
    suitesFailed++;
    // A suite that died before its summary (a crash, a type error) still counts as a failure.
    if (!counted) failed++;
  }
}
console.log(`\n${suites.length} suites, ${suitesFailed} failed`);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(suitesFailed === 0 ? 0 : 1);

function count(line: string): boolean {
  // deno test colours its summary when on a terminal.
  // deno-lint-ignore no-control-regex -- removing colour codes
  const plain = line.replace(/\u001b\[[0-9;]*m/g, "");
  const match = SUMMARY.exec(plain);
  if (!match) return false;
  passed += Number(match[1]);
  failed += Number(match[2]);
  return true;
}
