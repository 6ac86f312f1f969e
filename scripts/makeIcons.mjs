#!/usr/bin/env node
// Renders resources/icons/icon.svg into the app's icon set: one PNG per size (NxN.png, the
// layout Linux packagers read), icon.ico for Windows (PNG entries) and icon.icns for macOS.
// Uses ffmpeg's librsvg decoder (FFMPEG_BIN, else ffmpeg on PATH). The outputs are committed;
// run this again only after editing the SVG:  node scripts/makeIcons.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons');
const ffmpeg = process.env.FFMPEG_BIN || 'ffmpeg';
// Keep in step with APP_ICON_SIZES in main/electron/appIcon.ts (the test checks the files against it).
const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// Apple's icns element types that hold PNG data, by pixel size (the @2x ones reuse a larger PNG).
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
];

const pngPath = (size) => join(dir, `${size}x${size}.png`);

/** Writes through a temp file, so an interrupted run never leaves a half icon behind. */
function writeAtomic(path, data) {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

for (const size of PNG_SIZES) {
  const out = pngPath(size);
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-width', String(size), '-height', String(size), '-i', join(dir, 'icon.svg'), '-frames:v', '1', '-pix_fmt', 'rgba', '-f', 'image2', '-c:v', 'png', `${out}.tmp`]);
  renameSync(`${out}.tmp`, out);
}

// ICO: a 6-byte header, a 16-byte entry per image, then the PNGs (Windows Vista and later read PNG entries).
const icoPngs = ICO_SIZES.map((s) => readFileSync(pngPath(s)));
const header = Buffer.alloc(6 + 16 * icoPngs.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2); // 1 = icon
header.writeUInt16LE(icoPngs.length, 4);
let offset = header.length;
icoPngs.forEach((png, i) => {
  const e = 6 + 16 * i;
  const size = ICO_SIZES[i];
  header.writeUInt8(size >= 256 ? 0 : size, e); // 0 means 256
  header.writeUInt8(size >= 256 ? 0 : size, e + 1);
  header.writeUInt8(0, e + 2); // no palette
  header.writeUInt8(0, e + 3);
  header.writeUInt16LE(1, e + 4); // colour planes
  header.writeUInt16LE(32, e + 6); // bits per pixel
  header.writeUInt32LE(png.length, e + 8);
  header.writeUInt32LE(offset, e + 12);
  offset += png.length;
});
writeAtomic(join(dir, 'icon.ico'), Buffer.concat([header, ...icoPngs]));

// ICNS: 'icns' + total length, then elements of 4-byte type + 4-byte length (both big-endian, length includes the 8 bytes).
const elements = ICNS_TYPES.map(([type, size]) => {
  const png = readFileSync(pngPath(size));
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(png.length + 8, 4);
  return Buffer.concat([head, png]);
});
const body = Buffer.concat(elements);
const icnsHead = Buffer.alloc(8);
icnsHead.write('icns', 0, 'latin1');
icnsHead.writeUInt32BE(body.length + 8, 4);
writeAtomic(join(dir, 'icon.icns'), Buffer.concat([icnsHead, body]));

console.log(`wrote ${PNG_SIZES.length} PNGs, icon.ico (${ICO_SIZES.length} sizes) and icon.icns (${ICNS_TYPES.length} elements) to ${dir}`);
