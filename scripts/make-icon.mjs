// Draws the app icon (assets/icon.png, 1024×1024 RGBA) with no dependencies: a rounded
// square in a dark-blue gradient with a white "M", anti-aliased by 4×4 supersampling,
// written as a PNG with node:zlib. electron-builder derives the .icns and .ico from it.
//   node scripts/make-icon.mjs [output.png]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const SS = 4; // samples per axis per pixel
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'assets', 'icon.png'));

// Rounded square.
const MARGIN = 64;
const RADIUS = 200;
function inRoundedSquare(x, y) {
  const lo = MARGIN;
  const hi = SIZE - MARGIN;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const cx = Math.min(Math.max(x, lo + RADIUS), hi - RADIUS);
  const cy = Math.min(Math.max(y, lo + RADIUS), hi - RADIUS);
  const dx = x - cx;
  const dy = y - cy;
  return dx * dx + dy * dy <= RADIUS * RADIUS;
}

// The "M": one polygon (two stems joined by a V), tested with the even-odd rule.
const M = [
  [292, 728], [292, 296], [404, 296], [512, 486], [620, 296], [732, 296],
  [732, 728], [636, 728], [636, 468], [512, 668], [388, 468], [388, 728],
];
function inPolygon(x, y, poly) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// Colours: a vertical gradient from a lighter to a darker Mila-ish blue.
const TOP = [0x1f, 0x55, 0x96];
const BOTTOM = [0x0b, 0x1f, 0x3a];
const WHITE = [0xff, 0xff, 0xff];

const rowBytes = SIZE * 4 + 1;
const raw = Buffer.alloc(rowBytes * SIZE);
for (let py = 0; py < SIZE; py++) {
  raw[py * rowBytes] = 0; // filter: none
  const t = py / (SIZE - 1);
  const bg = TOP.map((c, i) => c + (BOTTOM[i] - c) * t);
  for (let px = 0; px < SIZE; px++) {
    let shape = 0;
    let letter = 0;
    for (let sy = 0; sy < SS; sy++) {
      const y = py + (sy + 0.5) / SS;
      for (let sx = 0; sx < SS; sx++) {
        const x = px + (sx + 0.5) / SS;
        if (inRoundedSquare(x, y)) {
          shape++;
          if (inPolygon(x, y, M)) letter++;
        }
      }
    }
    const o = py * rowBytes + 1 + px * 4;
    if (shape === 0) continue; // transparent
    const w = letter / shape; // share of the covered area that is letter
    for (let i = 0; i < 3; i++) raw[o + i] = Math.round(bg[i] * (1 - w) + WHITE[i] * w);
    raw[o + 3] = Math.round((255 * shape) / (SS * SS));
  }
}

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // colour type: RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`Wrote ${path.relative(process.cwd(), out) || out} (${SIZE}×${SIZE}, ${png.length} bytes).`);
