/**
 * Scenario P, probing one large video: the engine's probe (bench/probe-only.ts) beside `ffprobe -count_packets`
 * on a 1 GiB high-bitrate MKV and MP4 (moov last). Both are made once per run by ffmpeg: a 2-second 720p clip of
 * noise (about 170 Mbit/s), looped by stream copy up to the size. The probe must count the frames ffprobe counts
 * and read no more than 16 MiB or 10% of the file, whichever is larger.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../context.ts';
import { engineNodeFlags, runContender } from '../context.ts';
import type { ContenderResult, ScenarioResult, TargetResult } from '../results.ts';
import { ratio, skipped, target } from '../results.ts';
import { formatSize } from './large-file.ts';

const PROBE_ONLY = fileURLToPath(new URL('../probe-only.ts', import.meta.url));
const MIB = 1024 * 1024;
const CONTAINERS = ['mkv', 'mp4'] as const;
const CLIP_FPS = 30;

/** What bench/probe-only.ts prints. */
interface ProbeOutput {
  frames: number;
  fps: number;
  variable: boolean;
  bytesRead: number;
  size: number;
  probeSeconds: number;
}

/** What ffprobe says of the file's video stream: its packets (one frame each here) and its guessed rate. */
interface FfprobeCount {
  packets: number;
  rate: string;
}

function ffmpeg(args: readonly string[]): void {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`ffmpeg failed: ${run.stderr.trim().slice(-400)}`);
}

/** The clip once, then each container looped from it up to `size` bytes; returns the paths by container. */
function makeInputs(dir: string, size: number): Record<(typeof CONTAINERS)[number], string> {
  const encoders = spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' }).stdout;
  const codec = /\blibx264\b/.test(encoders)
    ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '10', '-pix_fmt', 'yuv420p']
    : ['-c:v', 'mpeg4', '-q:v', '1'];
  const clip = join(dir, 'clip.mkv');
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1280x720:rate=${CLIP_FPS},noise=alls=30:allf=t+u`,
    '-t',
    '2',
    ...codec,
    '-g',
    '30',
    clip,
  ]);
  const paths = { mkv: join(dir, 'large.mkv'), mp4: join(dir, 'large.mp4') };
  for (const container of CONTAINERS) {
    ffmpeg(['-stream_loop', '-1', '-i', clip, '-c', 'copy', '-fs', String(size), paths[container]]);
  }
  return paths;
}

const ffprobeAvailable = (): boolean =>
  spawnSync('ffmpeg', ['-version']).status === 0 && spawnSync('ffprobe', ['-version']).status === 0;

/** Runs scenario P. */
export async function runProbe(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.sizes.largeFileBytes;
  const dir = join(ctx.tmp, 'P');
  mkdirSync(dir, { recursive: true });
  const contenders: ContenderResult[] = [];
  const ratios: Record<string, number | null> = {};
  const targets: TargetResult[] = [];
  const workload = `1 x ${formatSize(size)} MKV and MP4`;
  const notes = [
    'the files: a 2-second 1280x720 noise clip (about 170 Mbit/s) looped by stream copy to the size; the MP4 has its moov last',
    'ffprobe -count_packets demuxes every packet (it reads the whole file); the engine reads its index or headers only',
    'both run right after the files are written, so both read from the page cache',
    'wall s includes process start; the phase "probe" is the time inside probeVideo',
  ];
  if (!ffprobeAvailable()) {
    for (const container of CONTAINERS) {
      for (const contender of ['ffprobe', 'engine'] as const) {
        contenders.push({
          ...skipped(contender, 'ffmpeg and ffprobe are not installed'),
          subject: container,
        });
      }
    }
    return { id: 'P', title: 'probe one large video', workload, contenders, ratios, targets, notes };
  }
  ctx.log(`P: writing a ${formatSize(size)} MKV and MP4 with ffmpeg`);
  const paths = makeInputs(dir, size);

  for (const container of CONTAINERS) {
    const file = paths[container];
    const fileSize = statSync(file).size;
    let reference: FfprobeCount | undefined;
    let probe: ProbeOutput | undefined;
    const ffprobe = await runContender(ctx, 'P', null, {
      contender: 'ffprobe',
      command: 'ffprobe',
      args: [
        ...['-v', 'error', '-count_packets', '-select_streams', 'v:0'],
        ...['-show_entries', 'stream=nb_read_packets,r_frame_rate', '-of', 'json', file],
      ],
      bytes: 0,
      files: 1,
      verify: async (stdout) => {
        const stream = (
          JSON.parse(stdout) as { streams: Array<{ nb_read_packets: string; r_frame_rate: string }> }
        ).streams[0];
        if (!stream) throw new Error('ffprobe found no video stream');
        reference = { packets: Number(stream.nb_read_packets), rate: stream.r_frame_rate };
        return `${reference.packets} packets at ${stream.r_frame_rate} fps`;
      },
    });
    const engine = await runContender(ctx, 'P', null, {
      contender: 'engine',
      command: process.execPath,
      args: [...engineNodeFlags(ctx, `P-engine-${container}`), PROBE_ONLY, file],
      bytes: 0,
      files: 1,
      verify: async (stdout) => {
        probe = JSON.parse(stdout) as ProbeOutput;
        if (reference && probe.frames !== reference.packets) {
          throw new Error(`${probe.frames} frames, ffprobe counts ${reference.packets}`);
        }
        // The rate ffmpeg made the clip at (ffprobe guesses its r_frame_rate, 359/12 for a few remuxed frames).
        if (probe.fps !== CLIP_FPS || probe.variable) {
          throw new Error(
            `${probe.fps} fps${probe.variable ? ' (variable)' : ''}, the clip is ${CLIP_FPS} fps`,
          );
        }
        const share = (100 * probe.bytesRead) / fileSize;
        return `${probe.frames} frames${reference ? ' (ffprobe: the same)' : ''} at ${probe.fps} fps; read ${(probe.bytesRead / 1024).toFixed(1)} KiB (${share.toFixed(3)}%)`;
      },
      phases: (lines): Record<string, number> => {
        const last = lines.at(-1)?.line;
        return last ? { probe: (JSON.parse(last) as ProbeOutput).probeSeconds } : {};
      },
    });
    contenders.push({ ...ffprobe, subject: container }, { ...engine, subject: container });
    const bytesShare = probe ? probe.bytesRead / fileSize : null;
    ratios[`${container}: engine bytes read / file size`] = bytesShare;
    ratios[`${container}: engine probe wall / ffprobe wall`] = ratio(engine.wallSeconds, ffprobe.wallSeconds);
    // The bounded-read rule: at most 16 MiB or 10% of the file, whichever is larger.
    const bound = Math.max(16 * MIB, fileSize / 10);
    targets.push(
      target(
        'P',
        `${container}: engine bytes read / (16 MiB or 10% of the file, whichever is larger)`,
        probe ? probe.bytesRead / bound : null,
        '<=',
        1,
      ),
    );
  }
  return { id: 'P', title: 'probe one large video', workload, contenders, ratios, targets, notes };
}
