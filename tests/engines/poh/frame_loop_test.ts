/**
 * The frame loop on every Poh tier — the AST interpreter, the VM interpreted only, the VM as it
 * runs (compiling hot code) and the VM compiling every loop at once: each calls the program's
 * `update` once per frame after the main part, and a run with the same input is the same byte
 * for byte — on one tier run twice (a replay), and across the tiers.
 */
import { assertEquals, assertNotEquals } from "../../assert.ts";
import { createHost } from "../../../src/host/host.ts";
import { DEFAULT_LIMITS } from "../../../src/host/limits.ts";
import { type InputEvent, InputState, ScriptedInput } from "../../../src/host/input.ts";
import type { DrawOp } from "../../../src/host/gfx_sink.ts";
import { pohEngine } from "../../../src/engines/poh/mod.ts";
import { poh } from "./helpers.ts";

const TIERS: Record<string, Record<string, string>> = {
  "AST interpreter": { engine: "ast" },
  "VM interpreted": { jit: "off" },
  "VM": {},
  "VM, loops compiled at once": { jit: "eager" },
};

/** Everything a played run shows: output, each frame's draw list, and the tones. */
interface Played {
  out: string;
  frames: string[];
  tones: string[];
}

/** Plays `src` for `frames` frames with `events` on one tier. */
async function play(
  src: string,
  frames: number,
  events: InputEvent[],
  flags: Record<string, string>,
): Promise<Played> {
  const input = new InputState();
  const script = new ScriptedInput(events, input);
  const played: Played = { out: "", frames: [], tones: [] };
  let drawn: DrawOp[] = [];
  // Each frame's draw list stands for its pixels (rendering is a function of it).
  const gfx = {
    draw: (op: DrawOp) => void drawn.push(op),
    present: () => {
      played.frames.push(JSON.stringify(drawn));
      drawn = [];
    },
  };
  const host = createHost({
    stdout: (t) => (played.out += t),
    input,
    gfx,
    sound: (tone) => void played.tones.push(JSON.stringify(tone)),
    seed: new Uint8Array([7]),
  });
  const program = await pohEngine.load(new TextEncoder().encode(src), { path: "game.poh" });
  await pohEngine.run(program, host, DEFAULT_LIMITS, {
    flags,
    frameLoop: {
      frames,
      beginFrame: (frame) => script.advance(frame),
      endFrame: () => gfx.present(),
    },
  });
  return played;
}

const GAME = await Deno.readTextFile(
  new URL("../../../examples/poh-game/main.poh", import.meta.url),
);
const PAD = (frame: number, buttons: number): InputEvent => ({
  frame,
  kind: "pad",
  player: 0,
  buttons,
});
// left from frame 2, right + x from 6, nothing from 10 (buttons: x 1, left 16, right 32).
const EVENTS = [PAD(2, 16), PAD(6, 33), PAD(10, 0)];

Deno.test("poh frame loop: update runs once per frame, after the main part, on every tier", async () => {
  const src = poh`
    Set calls to [0]
    Make update
      Set calls[0] to calls[0] + 1
      Write "frame " plus frame_count() plus " call " plus calls[0]
    End
    Write "main"
  `;
  const want = "main\n" + [0, 1, 2, 3, 4].map((f) => `frame ${f} call ${f + 1}\n`).join("");
  for (const [tier, flags] of Object.entries(TIERS)) {
    assertEquals((await play(src, 5, [], flags)).out, want, tier);
  }
});

Deno.test("poh frame loop: a program without update runs once; an update with parameters is not called", async () => {
  for (const [tier, flags] of Object.entries(TIERS)) {
    assertEquals((await play('Write "once"', 4, [], flags)).out, "once\n", tier);
    const withParam = 'Make update with x\n  Write "called"\nEnd\nWrite "main"';
    assertEquals((await play(withParam, 4, [], flags)).out, "main\n", tier);
  }
});

Deno.test("poh frame loop: the played example replays byte for byte, the same on every tier", async () => {
  const reference = await play(GAME, 24, EVENTS, TIERS["AST interpreter"]);
  assertEquals(reference.out, "ready\n");
  assertEquals(reference.frames.length, 24);
  for (const [tier, flags] of Object.entries(TIERS)) {
    const first = await play(GAME, 24, EVENTS, flags);
    const replay = await play(GAME, 24, EVENTS, flags);
    assertEquals(replay, first, `${tier}: replay`);
    assertEquals(first, reference, `${tier} against the AST interpreter`);
  }
  // The input shows in the frames and the sound, so the comparisons above can fail.
  const idle = await play(GAME, 24, [], {});
  assertNotEquals(idle.frames, reference.frames);
  assertNotEquals(idle.tones, reference.tones);
});
