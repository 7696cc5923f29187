/**
 * Test inputs made on the spot (nothing binary is committed): a kick + bass WAV at a known tempo,
 * and a real PNG image to be uploaded under an .mp3 name for the error path.
 */
import { deflateSync } from 'node:zlib';

export const SAMPLE_RATE = 22050;

/**
 * A mono 16-bit WAV: a decaying sine-sweep kick on every beat and a sawtooth-ish bass on the
 * off-beats, like a minimal four-on-the-floor loop. `seed` changes only the hi-hat noise, so each
 * run can upload new content (the server reuses the result of content it has seen).
 */
export function kickBassWav({
  seconds = 6,
  bpm = 128,
  sr = SAMPLE_RATE,
  seed = 440,
}: { seconds?: number; bpm?: number; sr?: number; seed?: number } = {}): Buffer {
  const n = Math.round(seconds * sr);
  const samples = new Float32Array(n);
  const beat = (60 / bpm) * sr;
  for (let i = 0; i < n; i += 1) {
    const inBeat = i % beat;
    const t = inBeat / sr;
    // Kick: 150 Hz falling to 45 Hz, 180 ms decay.
    const freq = 45 + 105 * Math.exp(-t * 30);
    const kick = Math.sin(2 * Math.PI * freq * t) * Math.exp(-t * 9);
    // Bass: 55 Hz on the off-beat (second half of each beat), soft saw from three harmonics.
    const half = beat / 2;
    let bass = 0;
    if (inBeat >= half) {
      const tb = (inBeat - half) / sr;
      const env = Math.min(1, tb * 200) * Math.exp(-tb * 6);
      bass = env * (Math.sin(2 * Math.PI * 55 * tb) + 0.5 * Math.sin(2 * Math.PI * 110 * tb) + 0.33 * Math.sin(2 * Math.PI * 165 * tb)) * 0.35;
    }
    // Hi-hat: short noise burst on each off-beat, deterministic pseudo-noise.
    const hat = inBeat >= half && inBeat < half + sr * 0.03 ? ((((i + seed) * 1103515245 + 12345) >>> 16) / 32768 - 1) * 0.08 : 0;
    samples[i] = 0.6 * kick + bass + hat;
  }
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i += 1) data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i] ?? 0)) * 32767), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sr, 24);
  header.writeUInt32LE(sr * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

/** A valid 16 x 16 grey PNG. */
export function smallPng(size = 16): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  const raw = Buffer.alloc((size + 1) * size, 0x80);
  for (let y = 0; y < size; y += 1) raw[y * (size + 1)] = 0; // filter byte
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
