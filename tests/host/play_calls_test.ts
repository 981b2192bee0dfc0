import { formatInputScript, parseInputScript } from "../../src/host/input_script.ts";
import { InputState, ScriptedInput } from "../../src/host/input.ts";
import { createHost } from "../../src/host/host.ts";
import type { AuditEntry } from "../../src/host/audit.ts";
import type { ToneEvent } from "../../src/host/play_host.ts";
import { assertEquals, assertMatch, assertPxosError } from "../assert.ts";

Deno.test(".pxin: pads and the mouse hold, keys last one frame, and the canonical form round-trips", () => {
  const text = "# a comment\nframes 5\nseed 0a0b\n3 keys hi # not a comment\n0 p1 x left\n" +
    "2 p2 up\n2 mouse 10 -4 left middle\n4 p1 -\n";
  const script = parseInputScript(text, "s.pxin");
  assertEquals(script.frames, 5);
  assertEquals(script.seed, "0a0b");
  const state = new InputState();
  const input = new ScriptedInput(script.events, state);
  const seen: string[] = [];
  for (let f = 0; f < 5; f++) {
    input.advance(f);
    seen.push(
      `${state.frame}:${state.gamepads.join(",")}:${state.mouseX},${state.mouseY},` +
        `${state.mouseButtons}:${state.keys}`,
    );
  }
  assertEquals(seen, [
    "0:17,0,0,0:0,0,0:",
    "1:17,0,0,0:0,0,0:",
    "2:17,64,0,0:10,-4,5:",
    "3:17,64,0,0:10,-4,5:hi # not a comment",
    "4:0,64,0,0:10,-4,5:",
  ]);
  const canonical = formatInputScript(script);
  assertEquals(parseInputScript(canonical, "c.pxin"), {
    ...script,
    events: [...script.events].sort((a, b) => a.frame - b.frame),
  });
  assertMatch(canonical, /^pxin 1\nframes 5\nseed 0a0b\n0 p1 x left\n/);
});

Deno.test(".pxin: malformed lines say file:line:col, expected and found", () => {
  const cases: [string, RegExp][] = [
    ["x p1 left", /s\.pxin:1:1: expected a frame number/],
    ["1 p5 left", /s\.pxin:1:3: expected p1–p4, mouse or keys/],
    ["1 mouse 3", /s\.pxin:1:1: expected a mouse coordinate, found ""/],
    ["pxin 2", /s\.pxin:1:6: expected format version 1, found "2"/],
    ["seed zz", /expected a hex seed, found "zz"/],
    ["99999999999 p1 x", /expected a frame number 0–10000000/],
  ];
  for (const [line, message] of cases) {
    assertPxosError(() => parseInputScript(line, "s.pxin"), "E_USAGE", message);
  }
});

Deno.test("input calls answer from the input state, are audited, and check the player", async () => {
  const input = new InputState();
  input.gamepads[2] = 33;
  input.frame = 7;
  input.keys = "é";
  const audit: AuditEntry[] = [];
  const tones: ToneEvent[] = [];
  const host = createHost({
    stdout: () => {},
    input,
    audit: (e) => audit.push(e),
    sound: (t) => tones.push(t),
  });
  assertEquals(await host.invoke("input.gamepad", [2]), 33);
  assertEquals(await host.invoke("frame.count", []), 7);
  assertEquals(await host.invoke("input.keys", []), "é");
  assertEquals(await host.invoke("sound.tone", [440, 6, 50, 3]), null);
  assertEquals(tones, [{ frame: 7, frequency: 440, duration: 6, volume: 50, flags: 3 }]);
  assertEquals(audit.map((e) => `${e.call} ${e.target} ${e.allowed}`), [
    "input.gamepad player 2 true",
    "frame.count  true",
    "input.keys  true",
    "sound.tone  true",
  ]);
  assertPxosError(() => host.invoke("input.gamepad", [4]), "E_TRAP", /player 0–3, found 4/);
  assertPxosError(() => host.invoke("sound.tone", ["x", 1, 1, 1]), "E_TRAP", /expected a number/);
});

Deno.test("without an input state the calls answer idle input at frame 0", async () => {
  const host = createHost({ stdout: () => {} });
  assertEquals(await host.invoke("input.gamepad", [0]), 0);
  assertEquals(await host.invoke("input.mouseX", []), 0);
  assertEquals(await host.invoke("frame.count", []), 0);
});
