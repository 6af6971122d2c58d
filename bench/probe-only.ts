/**
 * The engine's video probe alone, for scenario P: `probeVideo` (main/uploads/intake/probe-video.ts) on one file,
 * as the intake step runs it. Nothing is sent anywhere.
 *
 * Usage: node bench/probe-only.ts <video>
 * Prints `{ "frames": N, "fps": F, "variable": B, "bytesRead": N, "size": N, "probeSeconds": S }`, the last being
 * the time inside probeVideo, without the process start.
 */
import { stat } from 'node:fs/promises';
import { probeVideo } from '../main/uploads/intake/probe-video.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: probe-only.ts <video>\n');
  process.exit(2);
}
const started = performance.now();
const probe = await probeVideo(file);
const probeSeconds = (performance.now() - started) / 1000;
const output = {
  frames: probe.frameCount,
  fps: probe.fps,
  variable: probe.variableFrameRate,
  bytesRead: probe.bytesRead,
  size: (await stat(file)).size,
  probeSeconds,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
