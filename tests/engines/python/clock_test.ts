import { NO_GRANT } from "../../../src/host/grant.ts";
import { assert, assertEquals, assertMatch } from "../../assert.ts";
import { runPython } from "./helpers.ts";

const CLOCKS = [
  "import datetime, time, uuid, os",
  "now = datetime.datetime.now()",
  "print(now.year, now.month, now.day, now.hour)",
  "print(datetime.date.today().isoformat())",
  "print(datetime.datetime.now(datetime.timezone.utc).isoformat()[:19])",
  "print(int(time.time()), time.monotonic() < 1, time.perf_counter() < 1, time.process_time() < 1)",
  "print(time.strftime('%Y-%m-%d %H:%M', time.localtime()), time.localtime().tm_gmtoff)",
  "a = time.monotonic(); b = time.monotonic(); print(b > a)",
  "print(uuid.uuid4(), os.urandom(4).hex())",
].join("\n");

Deno.test("datetime, date.today, time.* and localtime read the host's virtual clock", async () => {
  const seed = new Uint8Array([4, 5, 6]);
  const a = await runPython({ "main.py": CLOCKS }, { seed });
  assert(a.error === undefined, `${a.error}\n${a.err}`);
  const lines = a.out.split("\n");
  // The virtual clock starts at 2000-01-01T00:00:00Z; local time in a run is UTC.
  assertEquals(lines.slice(0, 5), [
    "2000 1 1 0",
    "2000-01-01",
    "2000-01-01T00:00:00",
    "946684800 True True True",
    "2000-01-01 00:00 0",
  ]);
  assertEquals(lines[5], "True");
  assertMatch(lines[6], /^[0-9a-f-]{36} [0-9a-f]{8}$/);
  const b = await runPython({ "main.py": CLOCKS }, { seed });
  assertEquals(b.out, a.out, "the same seed repeats every clock reading and random byte");
  const c = await runPython({ "main.py": CLOCKS }, { seed: new Uint8Array([7]) });
  assert(c.out.split("\n")[6] !== lines[6], "another seed gives another uuid4");
  assert(a.audit.some((e) => e.call === "clock.now"), "clock reads are host calls (audited)");
});

Deno.test("with the clock granted, datetime.now and time.time are the real time", async () => {
  const run = await runPython({
    "main.py": "import datetime, time\nprint(int(time.time()), datetime.datetime.now().year)",
  }, { grant: { ...NO_GRANT, clock: true } });
  assert(run.error === undefined, `${run.error}\n${run.err}`);
  const [seconds, year] = run.out.trim().split(" ").map(Number);
  assert(Math.abs(seconds - Date.now() / 1000) < 120, `time.time() ${seconds} is now`);
  assert(year >= 2025, `datetime.now().year ${year} is this year`);
});
