/**
 * `pxos boot`'s frame output opened on the guest's first draw (`boot_frames.ts`): nothing is
 * loaded for a guest that never draws, and one that draws gets exactly the operations, in order,
 * as the output opened at once would have.
 */
import { framesCanWait, framesOnFirstDraw, OPEN_AFTER_DRAWS } from "../../src/cli/boot_frames.ts";
import type { FrameOutput } from "../../src/gfx/frame_output.ts";
import type { DrawOp } from "../../src/host/gfx_sink.ts";
import { Scene } from "../../src/gfx/scene.ts";
import { assertEquals } from "../assert.ts";

/** A stand-in output that records what reaches it. */
function recorder(): { open: () => Promise<FrameOutput>; opened: () => number; log: string[] } {
  const log: string[] = [];
  let opened = 0;
  return {
    log,
    opened: () => opened,
    open: () => {
      opened++;
      return Promise.resolve({
        sink: {
          draw: (op: DrawOp) => void log.push(op.op),
          present: () => void log.push("present"),
        },
        scene: new Scene(),
        finish: () => {
          log.push("finish");
          return Promise.resolve({ frameCount: 1, renderer: "cpu" as const });
        },
      });
    },
  };
}

Deno.test("a guest that never draws opens no frame output", async () => {
  const r = recorder();
  const frames = framesOnFirstDraw(r.open);
  assertEquals(await frames.finish(), { frameCount: 0, renderer: "cpu" });
  assertEquals(r.opened(), 0);
});

Deno.test("draws wait for the first present and reach the output in order", async () => {
  const r = recorder();
  const frames = framesOnFirstDraw(r.open);
  frames.sink.draw({ op: "clear", color: 0 });
  frames.sink.draw({ op: "pixel", x: 1, y: 2, color: 3 });
  assertEquals(r.opened(), 0);
  await frames.sink.present();
  frames.sink.draw({ op: "rect", x: 0, y: 0, w: 1, h: 1, color: 1 });
  await frames.sink.present();
  await frames.finish();
  assertEquals(r.opened(), 1);
  assertEquals(r.log, ["clear", "pixel", "present", "rect", "present", "finish"]);
});

Deno.test("draws never presented still reach the output at the end", async () => {
  const r = recorder();
  const frames = framesOnFirstDraw(r.open);
  frames.sink.draw({ op: "canvas", width: 4, height: 4 });
  assertEquals((await frames.finish()).frameCount, 1);
  assertEquals(r.log, ["canvas", "finish"]);
});

Deno.test("a guest that draws much without presenting gets its output opened anyway", async () => {
  const r = recorder();
  const frames = framesOnFirstDraw(r.open);
  for (let i = 0; i < OPEN_AFTER_DRAWS - 1; i++) {
    frames.sink.draw({ op: "pixel", x: 0, y: 0, color: 1 });
  }
  await Promise.resolve();
  assertEquals(r.opened(), 0);
  frames.sink.draw({ op: "pixel", x: 1, y: 0, color: 1 });
  await new Promise((wake) => setTimeout(wake, 0));
  assertEquals(r.opened(), 1);
  assertEquals(r.log.length, OPEN_AFTER_DRAWS); // every held operation replayed, in order
  frames.sink.draw({ op: "clear", color: 0 }); // straight to the open output
  assertEquals(r.log.at(-1), "clear");
  await frames.finish();
  assertEquals(r.opened(), 1);
});

Deno.test("an output that fails to open reports it at the next present", async () => {
  const frames = framesOnFirstDraw(() => Promise.reject(new Error("no renderer")));
  for (let i = 0; i < OPEN_AFTER_DRAWS; i++) {
    frames.sink.draw({ op: "pixel", x: 0, y: 0, color: 1 });
  }
  let failed = "";
  await Promise.resolve(frames.sink.present()).catch((e) => (failed = (e as Error).message));
  assertEquals(failed, "no renderer");
});

Deno.test("only a CPU output without PXTERM, APNG or play waits for a draw", () => {
  const can = (values: Record<string, unknown>, gpu = false, play = false) =>
    framesCanWait(values as never, gpu, play);
  assertEquals(can({}), true);
  assertEquals(can({ renderer: "cpu" }), true);
  assertEquals(can({ renderer: "cpu" }, true), true);
  assertEquals(can({ frames: "out" }), true);
  assertEquals(can({}, true), false); // auto may pick WebGPU when granted
  assertEquals(can({ renderer: "webgpu" }), false);
  assertEquals(can({ renderer: "nonsense" }), false); // reported by the output, before the run
  assertEquals(can({ pxterm: true }), false);
  assertEquals(can({ apng: "a.png" }), false);
  assertEquals(can({}, false, true), false);
});
