/**
 * The tone mixer: turns the `sound.tone` calls of a run (each stamped with its frame) into PCM
 * samples, the WASM-4 model — four channels (two pulse waves, a triangle, noise), a linear
 * frequency slide, an attack/decay/sustain/release envelope counted in frames, a peak and a
 * sustain volume. Integer arithmetic and a fixed noise register make it deterministic: the same
 * tones give the same bytes on every machine (a replay's WAV is identical).
 *
 * @module
 */
import type { ToneEvent } from "../host/play_host.ts";

/** Samples per second of the mixed output. */
export const SAMPLE_RATE = 44100;
/** Frames per second of the play loop. */
export const FRAME_RATE = 60;
/** Samples per frame (44100 / 60). */
export const SAMPLES_PER_FRAME = SAMPLE_RATE / FRAME_RATE;

/** Peak amplitude of one channel at volume 100 (four channels fit in 16 bits). */
const CHANNEL_PEAK = 8000;
/** Pulse duty cycles by mode (1/8, 1/4, 1/2, 3/4). */
const DUTY = [0.125, 0.25, 0.5, 0.75];

/** A tone decoded from its WASM-4 packing. */
interface Voice {
  startSample: number;
  startHz: number;
  endHz: number;
  attack: number;
  decay: number;
  sustain: number;
  release: number;
  peak: number;
  level: number;
  channel: number;
  duty: number;
}

/** `flags` bit 6 (WASM-4's `TONE_NOTE_MODE`): the frequency word holds MIDI notes, not Hz. */
export const TONE_NOTE_MODE = 64;

/** Hz of MIDI note `note` bent up by `bend`/256 of a semitone (69 is A4, 440 Hz). */
function noteHz(note: number, bend: number): number {
  return 440 * 2 ** ((note - 69 + bend / 256) / 12);
}

function decode(tone: ToneEvent): Voice {
  const f = tone.frequency >>> 0;
  const d = tone.duration >>> 0;
  const v = tone.volume >>> 0;
  // Note mode: start note and bend in bits 0–7 and 8–15, the slide's end note and bend in
  // 16–23 and 24–31; otherwise start Hz in 0–15 and end Hz in 16–31. 0 at the end: no slide.
  const notes = (tone.flags & TONE_NOTE_MODE) !== 0;
  const startHz = notes ? noteHz(f & 0xff, (f >>> 8) & 0xff) : f & 0xffff;
  const slideTo = notes ? ((f >>> 16) & 0xff ? noteHz((f >>> 16) & 0xff, f >>> 24) : 0) : f >>> 16;
  const peak = (v >>> 8) & 0xff;
  const sustainLevel = v & 0xff;
  const frames = (n: number) => n * SAMPLES_PER_FRAME;
  return {
    startSample: tone.frame * SAMPLES_PER_FRAME,
    startHz,
    endHz: slideTo === 0 ? startHz : slideTo,
    attack: frames((d >>> 24) & 0xff),
    decay: frames((d >>> 16) & 0xff),
    sustain: frames(d & 0xff),
    release: frames((d >>> 8) & 0xff),
    peak: Math.min(peak === 0 ? 100 : peak, 100),
    level: Math.min(sustainLevel, 100),
    channel: tone.flags & 3,
    duty: DUTY[(tone.flags >>> 2) & 3],
  };
}

function length(voice: Voice): number {
  return voice.attack + voice.decay + voice.sustain + voice.release;
}

/** Volume 0–100 at sample `t` of the voice. */
function envelope(voice: Voice, t: number): number {
  const { attack, decay, sustain, release, peak, level } = voice;
  if (t < attack) return (peak * t) / attack;
  if (t < attack + decay) return peak + ((level - peak) * (t - attack)) / decay;
  if (t < attack + decay + sustain) return level;
  const r = t - attack - decay - sustain;
  return release === 0 ? 0 : level * (1 - r / release);
}

/**
 * Mixes `tones` into `frames` frames of mono 16-bit samples. A new tone on a channel replaces
 * the one playing there (as on WASM-4); tones past the end are cut.
 *
 * @example
 * ```ts
 * import { mixTones, SAMPLES_PER_FRAME } from "@pxos/core";
 * const pcm = mixTones([{ frame: 0, frequency: 440, duration: 10, volume: 50, flags: 0 }], 2);
 * console.log(pcm.length === 2 * SAMPLES_PER_FRAME, pcm.some((s) => s !== 0)); // true true
 * ```
 */
export function mixTones(tones: readonly ToneEvent[], frames: number): Int16Array {
  const total = Math.max(0, Math.floor(frames)) * SAMPLES_PER_FRAME;
  const mix = new Float64Array(total);
  const voices = tones.map(decode).sort((a, b) => a.startSample - b.startSample);
  for (let i = 0; i < voices.length; i++) {
    const voice = voices[i];
    // The next tone on the same channel cuts this one.
    const next = voices.slice(i + 1).find((v) => v.channel === voice.channel);
    const end = Math.min(
      voice.startSample + length(voice),
      next?.startSample ?? Infinity,
      total,
    );
    render(voice, mix, end);
  }
  const out = new Int16Array(total);
  for (let s = 0; s < total; s++) out[s] = Math.max(-32768, Math.min(32767, Math.round(mix[s])));
  return out;
}

function render(voice: Voice, mix: Float64Array, end: number): void {
  const span = Math.max(1, length(voice));
  let phase = 0;
  let noise = 0x7fff; // 15-bit LFSR, reset per tone: deterministic
  let noiseOut = 1;
  for (let s = voice.startSample; s < end; s++) {
    const t = s - voice.startSample;
    const hz = voice.startHz + ((voice.endHz - voice.startHz) * t) / span;
    const step = hz / SAMPLE_RATE;
    const before = phase;
    phase = (phase + step) % 1;
    let wave: number;
    if (voice.channel <= 1) wave = phase < voice.duty ? 1 : -1;
    else if (voice.channel === 2) wave = phase < 0.5 ? 4 * phase - 1 : 3 - 4 * phase;
    else {
      if (phase < before || step >= 1) {
        const bit = (noise ^ (noise >> 1)) & 1;
        noise = (noise >> 1) | (bit << 14);
        noiseOut = noise & 1 ? 1 : -1;
      }
      wave = noiseOut;
    }
    mix[s] += wave * CHANNEL_PEAK * envelope(voice, t) / 100;
  }
}
