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
