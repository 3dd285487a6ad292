// The committed hold music is telephone-quality WAV, long enough, small enough,
// not silent, and exactly what scripts/make-hold-music.mjs produces.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const wavPath = join(root, 'assets', 'hold-music.wav');
const scriptPath = join(root, 'scripts', 'make-hold-music.mjs');

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_MULAW = 7;

interface Wav {
  formatCode: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  data: Buffer;
}

function parseWav(file: Buffer): Wav {
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let fmt: Omit<Wav, 'data'> | undefined;
  let data: Buffer | undefined;
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (body + size > file.length) throw new Error(`chunk ${id} runs past the end of the file`);
    if (id === 'fmt ') {
      fmt = {
        formatCode: file.readUInt16LE(body),
        channels: file.readUInt16LE(body + 2),
        sampleRate: file.readUInt32LE(body + 4),
        byteRate: file.readUInt32LE(body + 8),
        blockAlign: file.readUInt16LE(body + 12),
        bitsPerSample: file.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      data = file.subarray(body, body + size);
    }
    offset = body + size + (size % 2);
  }
  if (!fmt) throw new Error('no fmt chunk');
  if (!data) throw new Error('no data chunk');
  return { ...fmt, data };
}

// G.711 mu-law byte -> 16-bit linear sample.
function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

function decode(wav: Wav): number[] {
  const samples: number[] = [];
  for (let i = 0; i < wav.data.length; i++) {
    const byte = wav.data.readUInt8(i);
    samples.push(wav.formatCode === WAVE_FORMAT_MULAW ? mulawToLinear(byte) : (byte - 128) * 256);
  }
  return samples;
}

describe('assets/hold-music.wav', () => {
  const file = readFileSync(wavPath);
  const wav = parseWav(file);

  it('is a RIFF/WAVE file whose size field matches', () => {
    expect(file.toString('ascii', 0, 4)).toBe('RIFF');
    expect(file.toString('ascii', 8, 12)).toBe('WAVE');
    expect(file.readUInt32LE(4)).toBe(file.length - 8);
  });

  it('is telephone quality: 8-bit mu-law (or unsigned PCM), mono, 8000 Hz', () => {
    expect([WAVE_FORMAT_MULAW, WAVE_FORMAT_PCM]).toContain(wav.formatCode);
    expect(wav.channels).toBe(1);
    expect(wav.sampleRate).toBe(8000);
    expect(wav.bitsPerSample).toBe(8);
    expect(wav.blockAlign).toBe(1);
    expect(wav.byteRate).toBe(8000);
  });

  it('lasts at least 30 seconds and is under 500 KB', () => {
    const seconds = wav.data.length / wav.byteRate;
    expect(seconds).toBeGreaterThanOrEqual(30);
    expect(file.length).toBeLessThan(500 * 1024);
  });

  it('is audible but not clipped, and starts and ends quietly so it loops smoothly', () => {
    const samples = decode(wav);
    let sumOfSquares = 0;
    let peak = 0;
    for (const s of samples) {
      sumOfSquares += s * s;
      peak = Math.max(peak, Math.abs(s));
    }
    const rms = Math.sqrt(sumOfSquares / samples.length) / 32768;
    expect(rms).toBeGreaterThan(0.05); // about -26 dBFS
    expect(peak / 32768).toBeLessThan(0.9);
    const edge = (from: number, to: number): number =>
      Math.max(...samples.slice(from, to).map((s) => Math.abs(s)));
    expect(edge(0, 80) / 32768).toBeLessThan(0.01); // first 10 ms
    expect(edge(samples.length - 80, samples.length) / 32768).toBeLessThan(0.01); // last 10 ms
  });

  it('is exactly what scripts/make-hold-music.mjs produces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hold-music-'));
    try {
      const out = join(dir, 'hold-music.wav');
      execFileSync(process.execPath, [scriptPath, out], { stdio: 'pipe' });
      expect(readFileSync(out).equals(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
