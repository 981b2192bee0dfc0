/** The start-up path's timers (`src/timers.ts`): they fire once, not before their time, and not once cancelled. */
import { sleep, startTimer } from "../src/timers.ts";
import { assert, assertEquals } from "./assert.ts";

Deno.test("startTimer fires once after its time; a cancelled one never fires", async () => {
  const fired: string[] = [];
  const started = performance.now();
  let at = 0;
  startTimer(20, () => {
    fired.push("kept");
    at = performance.now() - started;
  });
  startTimer(5, () => fired.push("cancelled")).cancel();
  await sleep(60);
  assertEquals(fired, ["kept"]);
  assert(at >= 19, `fired after ${at} ms`);
});

Deno.test("startTimer takes what setTimeout takes: NaN and negative as 0, huge as the longest", async () => {
  const fired: number[] = [];
  startTimer(NaN, () => fired.push(1));
  startTimer(-5, () => fired.push(2));
  startTimer(Infinity, () => fired.push(3)).cancel();
  await sleep(30);
  assertEquals(fired.sort(), [1, 2]);
});
