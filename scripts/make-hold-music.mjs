#!/usr/bin/env node
// Synthesises Pull Phone's hold music: assets/hold-music.wav.
//
//   node scripts/make-hold-music.mjs [output-path]
//
// Original synthesis, no samples: a slow eight-chord progression of soft pads,
// a gentle bass, and a bell-like melody, with a light reverb. 40 seconds that
// fade in and out, so <Play loop="0"> repeats it smoothly.
// Output: WAV, G.711 mu-law (format code 7), 8000 Hz, mono, 8 bits a sample.
//
// Deterministic: no randomness, and only + - * / (which IEEE 754 rounds the
// same way everywhere), never Math.sin/exp/pow, whose last bits may differ
// between Node versions. Running it twice gives byte-identical files, which
// tests/hold-music.test.ts checks.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';

const SAMPLE_RATE = 8000;
const BEAT = 0.625; // seconds: 96 beats a minute
const BEATS_PER_CHORD = 8; // two bars of 4/4
const CHORD_SECONDS = BEAT * BEATS_PER_CHORD; // 5 s
const TOTAL_SECONDS = 40; // eight chords
const TOTAL_SAMPLES = SAMPLE_RATE * TOTAL_SECONDS;
const PEAK = 0.5; // normalise the loudest sample to -6 dBFS
const FADE_IN_SECONDS = 0.6;
const FADE_OUT_SECONDS = 3;

// ---------------------------------------------------------------- maths ---

const TWO_PI = 6.283185307179586;

// sin(2 * pi * x) for any x, using only arithmetic: reduce to a quarter wave,
// then a Taylor series that is accurate to about 1e-7 there.
function sinTurns(x) {
  let t = x - Math.floor(x); // [0, 1)
  if (t > 0.5) return -sinTurns(t - 0.5);
  if (t > 0.25) t = 0.5 - t; // sin is symmetric about a quarter turn
  const a = t * TWO_PI; // [0, pi/2]
  const a2 = a * a;
  return (
    a *
    (1 -
      (a2 / 6) *
        (1 -
          (a2 / 20) *
            (1 - (a2 / 42) * (1 - (a2 / 72) * (1 - (a2 / 110) * (1 - a2 / 156))))))
  );
}

// Smooth 0 -> 1 ramp (half a cosine) for x in [0, 1].
function smoothStep(x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return 0.5 - 0.5 * sinTurns(0.25 + x / 2);
}

// Equal-tempered frequency of a MIDI note (A4 = 69 = 440 Hz), by repeated
// multiplication by a literal semitone ratio rather than Math.pow.
const SEMITONE = 1.0594630943592953;
function noteFrequency(midi) {
  let f = 440;
  for (let n = 69; n < midi; n++) f *= SEMITONE;
  for (let n = 69; n > midi; n--) f /= SEMITONE;
  return f;
}

// ---------------------------------------------------------------- score ---

// Eight chords, one every two bars: C major 7, A minor 7, F major 9, G sus
// (add 9); E minor 7, A minor 7, D minor 7, G7, which leads back to the start.
// bass: a MIDI note; pad: MIDI notes, kept in 200-500 Hz so a phone line
// carries them.
const CHORDS = [
  { bass: 48, pad: [60, 64, 67, 71] }, // Cmaj7
  { bass: 45, pad: [60, 64, 67, 69] }, // Am7
  { bass: 53, pad: [57, 60, 64, 67] }, // Fmaj9
  { bass: 55, pad: [57, 60, 62, 67] }, // Gsus4(add9)
  { bass: 52, pad: [59, 62, 64, 67] }, // Em7
  { bass: 45, pad: [60, 64, 67, 69] }, // Am7
  { bass: 50, pad: [57, 60, 62, 65] }, // Dm7
  { bass: 55, pad: [59, 62, 65, 67] }, // G7
];

// The melody, chord by chord: [MIDI note or null for a rest, length in beats].
// Each chord's notes add up to eight beats.
const MELODY = [
  [[null, 1], [76, 1], [74, 1], [76, 1], [79, 4]],
  [[76, 2], [72, 2], [69, 4]],
  [[72, 2], [76, 1], [79, 1], [81, 3], [null, 1]],
  [[79, 2], [74, 4], [null, 2]],
  [[79, 2], [76, 1], [74, 1], [71, 4]],
  [[72, 2], [76, 1], [79, 1], [76, 4]],
  [[77, 2], [76, 1], [74, 1], [72, 2], [69, 2]],
  [[71, 2], [74, 3], [null, 3]],
];

// ------------------------------------------------------------ instruments ---

// Adds a note of the given partials ([harmonic, amplitude, detune ratio]) with
// an attack/sustain/release envelope. Slightly detuned pairs give a slow,
// soft shimmer.
function addPad(out, startSec, lengthSec, midi, gain) {
  const attack = 1.4;
  const release = 1.8;
  const f = noteFrequency(midi);
  const partials = [
    [1, 1, 1.0012],
    [1, 1, 0.9988],
    [2, 0.22, 1.0007],
    [3, 0.06, 1],
  ];
  const start = Math.round(startSec * SAMPLE_RATE);
  const end = Math.min(TOTAL_SAMPLES, Math.round((startSec + lengthSec + release) * SAMPLE_RATE));
  for (let i = start; i < end; i++) {
    const t = (i - start) / SAMPLE_RATE;
    let env = smoothStep(t / attack);
    if (t > lengthSec) env *= 1 - smoothStep((t - lengthSec) / release);
    let v = 0;
    for (const [harmonic, amp, detune] of partials) {
      v += amp * sinTurns(f * harmonic * detune * t);
    }
    out[i] += gain * env * v;
  }
}

// A round bass: fundamental plus a little second and third harmonic, which
// is what a telephone (300-3400 Hz) mostly lets through of a low note.
function addBass(out, startSec, lengthSec, midi, gain) {
  const attack = 0.08;
  const release = 0.9;
  const f = noteFrequency(midi);
  const start = Math.round(startSec * SAMPLE_RATE);
  const end = Math.min(TOTAL_SAMPLES, Math.round((startSec + lengthSec + release) * SAMPLE_RATE));
  let decay = 1;
  const decayPerSample = 1 - 1 / (2.5 * SAMPLE_RATE); // ~2.5 s time constant
  for (let i = start; i < end; i++) {
    const t = (i - start) / SAMPLE_RATE;
    let env = smoothStep(t / attack) * (0.55 + 0.45 * decay);
    if (t > lengthSec) env *= 1 - smoothStep((t - lengthSec) / release);
    decay *= decayPerSample;
    const phase = f * t;
    const v = sinTurns(phase) + 0.45 * sinTurns(2 * phase) + 0.2 * sinTurns(3 * phase);
    out[i] += gain * env * v;
  }
}

// A soft bell / electric-piano tone: quick (but click-free) attack, then an
// exponential decay; the upper partials die away faster than the fundamental.
function addBell(out, startSec, lengthSec, midi, gain) {
  const attack = 0.025;
  const release = 0.6;
  const f = noteFrequency(midi);
  const start = Math.round(startSec * SAMPLE_RATE);
  const end = Math.min(TOTAL_SAMPLES, Math.round((startSec + lengthSec + release) * SAMPLE_RATE));
  let phase = 0;
  let d1 = 1;
  let d2 = 1;
  const k1 = 1 - 1 / (1.6 * SAMPLE_RATE); // fundamental: 1.6 s time constant
  const k2 = 1 - 1 / (0.35 * SAMPLE_RATE); // overtones: 0.35 s
  for (let i = start; i < end; i++) {
    const t = (i - start) / SAMPLE_RATE;
    let env = smoothStep(t / attack);
    if (t > lengthSec) env *= 1 - smoothStep((t - lengthSec) / release);
    // gentle vibrato, 5 Hz, +-0.15 %, fading in over the first second
    const vibrato = 1 + 0.0015 * smoothStep(t) * sinTurns(5 * t);
    phase += (f * vibrato) / SAMPLE_RATE;
    const v =
      d1 * sinTurns(phase) + d2 * (0.3 * sinTurns(2 * phase) + 0.08 * sinTurns(3 * phase));
    d1 *= k1;
    d2 *= k2;
    out[i] += gain * env * v;
  }
}

// A small Schroeder reverb (four combs, two all-passes) for a sense of space.
function reverb(dry) {
  const combs = [
    [241, 0.78],
    [283, 0.76],
    [331, 0.74],
    [373, 0.72],
  ]; // delays in samples at 8 kHz, ~30-47 ms
  const wet = new Float64Array(dry.length);
  for (const [delay, feedback] of combs) {
    const line = new Float64Array(delay);
    let pos = 0;
    let low = 0;
    for (let i = 0; i < dry.length; i++) {
      const y = line[pos];
      low = 0.6 * y + 0.4 * low; // damping: highs die first
      line[pos] = dry[i] + feedback * low;
      wet[i] += y / combs.length;
      pos = (pos + 1) % delay;
    }
  }
  for (const [delay, g] of [
    [89, 0.6],
    [31, 0.6],
  ]) {
    const line = new Float64Array(delay);
    let pos = 0;
    for (let i = 0; i < wet.length; i++) {
      const buffered = line[pos];
      const input = wet[i];
      const y = buffered - g * input;
      line[pos] = input + g * y;
      wet[i] = y;
      pos = (pos + 1) % delay;
    }
  }
  const mixed = new Float64Array(dry.length);
  for (let i = 0; i < dry.length; i++) mixed[i] = 0.8 * dry[i] + 0.35 * wet[i];
  return mixed;
}

// ---------------------------------------------------------------- render ---

function render() {
  const dry = new Float64Array(TOTAL_SAMPLES);
  CHORDS.forEach((chord, c) => {
    const at = c * CHORD_SECONDS;
    for (const midi of chord.pad) addPad(dry, at, CHORD_SECONDS, midi, 0.11);
    addBass(dry, at, BEAT * 3.5, chord.bass, 0.16);
    addBass(dry, at + BEAT * 4, BEAT * 3.5, chord.bass, 0.12);
  });
  MELODY.forEach((phrase, c) => {
    let beat = c * BEATS_PER_CHORD;
    for (const [midi, beats] of phrase) {
      if (midi !== null) addBell(dry, beat * BEAT, beats * BEAT * 0.9, midi, 0.3);
      beat += beats;
    }
  });

  const out = reverb(dry);

  // Fade in and out so the loop joins without a click.
  const fadeIn = FADE_IN_SECONDS * SAMPLE_RATE;
  const fadeOut = FADE_OUT_SECONDS * SAMPLE_RATE;
  for (let i = 0; i < TOTAL_SAMPLES; i++) {
    let g = 1;
    if (i < fadeIn) g *= smoothStep(i / fadeIn);
    const left = TOTAL_SAMPLES - 1 - i;
    if (left < fadeOut) g *= smoothStep(left / fadeOut);
    out[i] *= g;
  }

  let peak = 0;
  for (let i = 0; i < TOTAL_SAMPLES; i++) peak = Math.max(peak, Math.abs(out[i]));
  const scale = (PEAK * 32767) / peak;
  const pcm = new Int16Array(TOTAL_SAMPLES);
  for (let i = 0; i < TOTAL_SAMPLES; i++) pcm[i] = Math.round(out[i] * scale);
  return pcm;
}

// G.711 mu-law encoding of one 16-bit linear sample (the classic algorithm).
function linearToMulaw(sample) {
  const BIAS = 0x84;
  const CLIP = 32635;
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), CLIP) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

// WAV container for mu-law: a RIFF/WAVE file with an 18-byte fmt chunk
// (format 7), the fact chunk that non-PCM formats carry, then the data.
function mulawWav(pcm) {
  const n = pcm.length;
  const data = Buffer.alloc(n + (n % 2)); // chunks are padded to even length
  for (let i = 0; i < n; i++) data[i] = linearToMulaw(pcm[i]);
  const header = Buffer.alloc(58);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(50 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(18, 16); // fmt chunk size
  header.writeUInt16LE(7, 20); // WAVE_FORMAT_MULAW
  header.writeUInt16LE(1, 22); // channels
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE, 28); // bytes a second
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits a sample
  header.writeUInt16LE(0, 36); // no extra format bytes
  header.write('fact', 38, 'ascii');
  header.writeUInt32LE(4, 42);
  header.writeUInt32LE(n, 46); // samples
  header.write('data', 50, 'ascii');
  header.writeUInt32LE(n, 54);
  return Buffer.concat([header, data]);
}

const here = dirname(fileURLToPath(import.meta.url));
const outPath = resolve(process.argv[2] ?? join(here, '..', 'assets', 'hold-music.wav'));
const wav = mulawWav(render());
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, wav);
process.stdout.write(
  `wrote ${outPath}: ${wav.length} bytes, ${TOTAL_SECONDS} s, ${SAMPLE_RATE} Hz mono mu-law\n`,
);
