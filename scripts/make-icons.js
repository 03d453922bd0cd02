#!/usr/bin/env node
// `node scripts/make-icons.js`: draws ListSync's icons into resources/ with Node alone (zlib for
// the PNG data, no image library). The glyph, on a 16-unit grid so the 16 px tray icon is crisp:
// three list lines of falling length and a pair of sync arrows.
//   icon.png (512×512) and icon.svg   the app icon: white glyph on a blue rounded square
//   trayTemplate.png (+ @2x)         macOS menu bar: black + alpha, macOS tints it ("Template")
//   tray-light.png (+ @2x)           for a light panel (dark glyph)
//   tray-dark.png (+ @2x)            for a dark panel (light glyph)
// The tray files are 16×16 and 32×32 (@2x); Electron picks @2x on high-density screens.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

const outDir = resolve(import.meta.dirname, '..', 'resources');

// ---- The glyph (16-unit grid, y down) ----
const lines = [
  { x1: 2, x2: 10, y: 4 },
  { x1: 2, x2: 6.5, y: 8 },
  { x1: 2, x2: 5, y: 12 },
];
const lineRadius = 1; // 2 units thick, round ends
const ring = { cx: 11.5, cy: 11.5, r: 3.5, width: 1.5 };
const deg = Math.PI / 180;
// Two arcs (angles clockwise from 3 o'clock, y down), each ending in an arrowhead pointing onward.
const arcs = [
  { from: 190 * deg, to: 300 * deg },
  { from: 10 * deg, to: 120 * deg },
];
const head = { halfWidth: 1.8, ahead: 45 * deg };

const polar = (angle, radius) => [ring.cx + radius * Math.cos(angle), ring.cy + radius * Math.sin(angle)];
const arrowheads = arcs.map(({ to }) => [polar(to, ring.r - head.halfWidth), polar(to, ring.r + head.halfWidth), polar(to + head.ahead, ring.r)]);

function inCapsule(x, y, { x1, x2, y: ly }) {
  const cx = Math.min(Math.max(x, x1), x2);
  return (x - cx) ** 2 + (y - ly) ** 2 <= lineRadius ** 2;
}

function inArc(x, y, { from, to }) {
  const d = Math.hypot(x - ring.cx, y - ring.cy);
  if (Math.abs(d - ring.r) > ring.width / 2) return false;
  let a = Math.atan2(y - ring.cy, x - ring.cx);
  while (a < from) a += 2 * Math.PI;
  return a <= to;
}

function inTriangle(x, y, [[ax, ay], [bx, by], [cx, cy]]) {
  const s1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  const s2 = (cx - bx) * (y - by) - (cy - by) * (x - bx);
  const s3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
}

function inGlyph(x, y) {
  return lines.some((l) => inCapsule(x, y, l)) || arcs.some((a) => inArc(x, y, a)) || arrowheads.some((t) => inTriangle(x, y, t));
}

// ---- The app icon's background (512 grid) ----
const tile = { x: 32, y: 32, size: 448, radius: 100 };
const glyphBox = { x: 96, y: 96, scale: 20 }; // the 16-unit glyph at 320 px, centred
const top = [59, 130, 246]; // #3b82f6
const bottom = [29, 78, 216]; // #1d4ed8

function inTile(x, y) {
  const r = tile.radius;
  const cx = Math.min(Math.max(x, tile.x + r), tile.x + tile.size - r);
  const cy = Math.min(Math.max(y, tile.y + r), tile.y + tile.size - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

// ---- Rasterising: s×s samples per pixel ----
/** A glyph in one flat colour on transparency, `size` px square. */
function drawGlyph(size, [r, g, b], samples = 8) {
  const px = new Uint8Array(size * size * 4);
  const unit = 16 / size;
  for (let py = 0; py < size; py++) {
    for (let pxi = 0; pxi < size; pxi++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          if (inGlyph((pxi + (sx + 0.5) / samples) * unit, (py + (sy + 0.5) / samples) * unit)) hits++;
        }
      }
      const i = (py * size + pxi) * 4;
      px.set([r, g, b, Math.round((255 * hits) / (samples * samples))], i);
    }
  }
  return px;
}

/** The 512 px app icon: white glyph over the gradient tile. */
function drawAppIcon(size = 512, samples = 4) {
  const px = new Uint8Array(size * size * 4);
  const n = samples * samples;
  for (let py = 0; py < size; py++) {
    const t = (py - tile.y) / tile.size;
    const bg = top.map((c, k) => c + (bottom[k] - c) * Math.min(Math.max(t, 0), 1));
    for (let pxi = 0; pxi < size; pxi++) {
      let inBg = 0;
      let inFg = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = pxi + (sx + 0.5) / samples;
          const y = py + (sy + 0.5) / samples;
          if (!inTile(x, y)) continue;
          inBg++;
          if (inGlyph((x - glyphBox.x) / glyphBox.scale, (y - glyphBox.y) / glyphBox.scale)) inFg++;
        }
      }
      const i = (py * size + pxi) * 4;
      if (inBg === 0) continue;
      const fg = inFg / inBg;
      px.set([...bg.map((c) => Math.round(c + (255 - c) * fg)), Math.round((255 * inBg) / n)], i);
    }
  }
  return px;
}

// ---- PNG encoding (RGBA, 8 bits, no interlace) ----
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
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

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter method, no interlace
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- The SVG (same geometry) ----
function svg() {
  const f = (n) => Number(n.toFixed(3));
  const arcPath = ({ from, to }) => {
    const [x1, y1] = polar(from, ring.r);
    const [x2, y2] = polar(to + 2 * deg, ring.r); // runs under the arrowhead: no anti-aliased seam
    return `<path d="M${f(x1)} ${f(y1)}A${ring.r} ${ring.r} 0 0 1 ${f(x2)} ${f(y2)}"/>`;
  };
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">',
    '  <title>ListSync</title>',
    '  <defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">',
    `    <stop offset="0" stop-color="rgb(${top.join(',')})"/><stop offset="1" stop-color="rgb(${bottom.join(',')})"/>`,
    '  </linearGradient></defs>',
    `  <rect x="${tile.x}" y="${tile.y}" width="${tile.size}" height="${tile.size}" rx="${tile.radius}" fill="url(#bg)"/>`,
    `  <g transform="translate(${glyphBox.x} ${glyphBox.y}) scale(${glyphBox.scale})" fill="none" stroke="#fff">`,
    `    <g stroke-width="${2 * lineRadius}" stroke-linecap="round">`,
    ...lines.map((l) => `      <line x1="${l.x1}" y1="${l.y}" x2="${l.x2}" y2="${l.y}"/>`),
    '    </g>',
    `    <g stroke-width="${ring.width}">`,
    ...arcs.map((a) => `      ${arcPath(a)}`),
    '    </g>',
    ...arrowheads.map((t) => `    <polygon points="${t.map(([x, y]) => `${f(x)},${f(y)}`).join(' ')}" fill="#fff" stroke="none"/>`),
    '  </g>',
    '</svg>',
    '',
  ].join('\n');
}

mkdirSync(outDir, { recursive: true });
const write = (name, data) => {
  writeFileSync(join(outDir, name), data);
  console.log(`resources/${name}`);
};
write('icon.png', png(512, drawAppIcon()));
write('icon.svg', svg());
const trays = { trayTemplate: [0, 0, 0], 'tray-light': [31, 41, 55], 'tray-dark': [249, 250, 251] };
for (const [name, colour] of Object.entries(trays)) {
  write(`${name}.png`, png(16, drawGlyph(16, colour)));
  write(`${name}@2x.png`, png(32, drawGlyph(32, colour)));
}
