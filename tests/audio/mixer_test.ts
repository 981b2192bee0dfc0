import { mixTones, SAMPLES_PER_FRAME, TONE_NOTE_MODE } from "../../src/audio/mixer.ts";
import { encodeWav } from "../../src/audio/wav.ts";
import { assert, assertEquals } from "../assert.ts";

const tone = (frame: number, frequency: number, duration: number, volume: number, flags = 0) => ({
  frame,
  frequency,
  duration,
  volume,
  flags,
});

Deno.test("a tone sounds from its frame for its sustain, then silence", () => {
  const pcm = mixTones([tone(1, 440, 2, 100)], 5);
  assertEquals(pcm.length, 5 * SAMPLES_PER_FRAME);
  const loud = (from: number, to: number) =>
    pcm.subarray(from * SAMPLES_PER_FRAME, to * SAMPLES_PER_FRAME).some((s) => s !== 0);
  assert(!loud(0, 1), "silent before the tone");
  assert(loud(1, 3), "sounds during its two frames");
  assert(!loud(3, 5), "silent after it");
  // A 50 % pulse at volume 100 swings between ± the channel peak.
  assertEquals(Math.max(...pcm), 8000);
  assertEquals(Math.min(...pcm), -8000);
});

Deno.test("the mix is deterministic, and the wave, duty and slide change it", () => {
  const base = [tone(0, 300, (4 << 24) | (2 << 16) | (3 << 8) | 5, 40, 0)];
  const once = mixTones(base, 20);
  assertEquals(mixTones(base, 20), once);
  // Pulse 2 (flags 1) sounds like pulse 1 in a mono mix; the triangle, noise and duty differ.
  for (const flags of [2, 3, 4]) {
    const other = mixTones([{ ...base[0], flags }], 20);
    assert(other.some((s, i) => s !== once[i]), `flags ${flags} change the samples`);
  }
  const slide = mixTones([{ ...base[0], frequency: 300 | (900 << 16) }], 20);
  assert(slide.some((s, i) => s !== once[i]), "a slide changes the samples");
});

Deno.test("a new tone on a channel cuts the one playing there", () => {
  const cut = mixTones([tone(0, 440, 10, 100), tone(2, 440, 1, 0)], 10);
  assert(!cut.subarray(3 * SAMPLES_PER_FRAME).some((s) => s !== 0), "silent after the cut");
});

Deno.test("encodeWav writes a RIFF/WAVE header and little-endian samples", () => {
  const wav = encodeWav(Int16Array.from([1, -2]), 44100);
  const view = new DataView(wav.buffer);
  assertEquals(new TextDecoder().decode(wav.subarray(0, 4)), "RIFF");
  assertEquals(new TextDecoder().decode(wav.subarray(8, 16)), "WAVEfmt ");
  assertEquals(view.getUint32(24, true), 44100);
  assertEquals(view.getUint32(40, true), 4);
  assertEquals([view.getInt16(44, true), view.getInt16(46, true)], [1, -2]);
});

Deno.test("note mode (flags 64): MIDI notes with bends, as WASM-4's TONE_NOTE_MODE", () => {
  const tone = (frequency: number, flags: number) =>
    mixTones([{ frame: 0, frequency, duration: 6, volume: 80, flags }], 6);
  // Note 69 is A4 (440 Hz), 81 is A5 (880 Hz); a slide to note 81 is a slide to 880 Hz.
  assertEquals(tone(69, 2 | TONE_NOTE_MODE), tone(440, 2));
  assertEquals(tone(81, 1 | TONE_NOTE_MODE), tone(880, 1));
  assertEquals(tone(69 | (81 << 16), TONE_NOTE_MODE), tone(440 | (880 << 16), 0));
  // A bend of 128/256 is half a semitone up: between the two notes, and not either.
  const bent = tone(69 | (128 << 8), 2 | TONE_NOTE_MODE);
  assert(bent.some((s, i) => s !== tone(69, 2 | TONE_NOTE_MODE)[i]));
  assert(bent.some((s, i) => s !== tone(70, 2 | TONE_NOTE_MODE)[i]));
});
