import { assertEquals, assertMatch } from "../assert.ts";
import { rgba } from "../../src/gfx/color.ts";
import { parsePxterm, writePxterm } from "../../src/gfx/pxterm.ts";
import { runPxterm } from "../../src/gfx/pxterm_run.ts";
import { Scene } from "../../src/gfx/scene.ts";
import { SCENES } from "./scenes.ts";

Deno.test("PXTERM v1 commands parse, case-insensitively, with comments", () => {
  const { lines, errors } = parsePxterm(`# comment
canvas 320 200
Layer New ui 3
LAYER USE ui
  # indented comment
CLEAR 1 2 3
PIXEL 4 5 6 7 8 9        # inline comment
rect -1 2 30 40 255 0 0 128
HLINE 1 2 3 4 5 6
VLINE 1 2 3 4 5 6 7
TEXT 1 2 255 255 255 255  two  spaces # kept
LAYER DELETE ui
SAVE out/frame.png
INFO
LAYERS
`);
  assertEquals(errors, []);
  assertEquals(lines.map((l) => l.command), [
    { op: "canvas", width: 320, height: 200 },
    { op: "layerNew", name: "ui", z: 3 },
    { op: "layerUse", name: "ui" },
    { op: "clear", color: rgba(1, 2, 3, 255) },
    { op: "pixel", x: 4, y: 5, color: rgba(6, 7, 8, 9) },
    { op: "rect", x: -1, y: 2, w: 30, h: 40, color: rgba(255, 0, 0, 128) },
    { op: "hline", x: 1, y: 2, len: 3, color: rgba(4, 5, 6) },
    { op: "vline", x: 1, y: 2, len: 3, color: rgba(4, 5, 6, 7) },
    { op: "text", x: 1, y: 2, color: rgba(255, 255, 255), text: " two  spaces # kept" },
    { op: "layerDelete", name: "ui" },
    { op: "save", path: "out/frame.png" },
    { op: "info" },
    { op: "layers" },
  ]);
  assertEquals(lines.map((l) => l.line), [2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
});

Deno.test("extensions parse: LINE, CIRCLE [FILL], LAYER OPACITY/SHOW/HIDE, PRESENT", () => {
  const { lines, errors } = parsePxterm(
    "LINE 0 0 9 9 1 2 3\nCIRCLE 5 5 3 1 2 3 4 fill\nCIRCLE 5 5 3 1 2 3\n" +
      "LAYER OPACITY a 7\nLAYER HIDE a\nLAYER SHOW a\nPRESENT\n",
  );
  assertEquals(errors, []);
  assertEquals(lines.map((l) => l.command.op), [
    "line",
    "circle",
    "circle",
    "layerOpacity",
    "layerVisible",
    "layerVisible",
    "present",
  ]);
});

Deno.test("bad lines are reported with line numbers and the rest still parses", () => {
  const { lines, errors } = parsePxterm(
    "RECT 1 2 3\nFROB 1\nCLEAR 1 2 300\nRECT a 2 3 4 5 6 7\nLAYER SPIN x\nCANVAS 10 10\n",
  );
  assertEquals(lines.map((l) => l.command.op), ["canvas"]);
  assertEquals(errors.map((e) => e.line), [1, 2, 3, 4, 5]);
  assertMatch(errors[0].message, /expected RECT x y w h r g b \[a\], found 3 argument/);
  assertMatch(errors[1].message, /unknown command "FROB"/);
  assertMatch(errors[2].message, /blue 0–255, found 300/);
  assertMatch(errors[3].message, /integer x, found "a"/);
  assertMatch(errors[4].message, /LAYER NEW name/);
});

Deno.test("writePxterm → parsePxterm gives the same draw list", () => {
  for (const ops of Object.values(SCENES)) {
    const { lines, errors } = parsePxterm(writePxterm(ops));
    assertEquals(errors, []);
    const expected = ops.flatMap((op) =>
      op.op === "text" && op.text.includes("\n")
        ? op.text.split("\n").map((t, i) => ({ ...op, y: op.y + 8 * i, text: t }))
        : [op]
    );
    assertEquals(lines.map((l) => l.command), expected);
  }
});

Deno.test("runPxterm: errors print, the run goes on; INFO and LAYERS print state", async () => {
  const scene = new Scene();
  let out = "";
  let err = "";
  const saved: string[] = [];
  const errors = await runPxterm(
    "CANVAS 10 10\nLAYER USE nope\nLAYER NEW a 1\nRECT 0 0 2 2 1 2 3\nBAD\n" +
      "SAVE x.png\nINFO\nLAYERS\n",
    {
      scene,
      draw: (op) => scene.apply(op),
      present: () => {},
      save: (p) => void saved.push(p),
      print: (t) => (out += t),
      error: (t) => (err += t),
    },
    "s.pxterm",
  );
  assertEquals(errors.map((e) => e.line), [2, 5]);
  assertEquals(err.split("\n").filter(Boolean), [
    's.pxterm:2: error: no layer named "nope" (create it with LAYER NEW)',
    's.pxterm:5: error: unknown command "BAD"',
  ]);
  assertEquals(saved, ["x.png"]);
  assertEquals(
    out,
    'canvas 10x10, 1 layer(s), current "a", 1 draw command(s)\n' +
      "a z=1 opacity=255 visible commands=1 (current)\n",
  );
});
