/**
 * Video clips made by ffmpeg, and what ffprobe says about them: the independent reference the probe is checked
 * against. Clips are tiny (64x64, the smallest SVT-AV1 takes) so that a whole matrix of containers, codecs and
 * rates runs in seconds.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { spawn } from 'node:child_process';

const run = promisify(execFile);

/** The ffmpeg on PATH, or null with why not. */
export function ffmpegAvailable(): { ok: true } | { ok: false; reason: string } {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
    return { ok: true };
  } catch {
    return { ok: false, reason: 'ffmpeg and ffprobe are not installed (apt-get install -y ffmpeg)' };
  }
}

/** Names of the video encoders this ffmpeg has. */
function ffmpegEncoders(): Set<string> {
  const out = execFileSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
  const names = new Set<string>();
  for (const line of out.split('\n')) {
    const match = /^\s*V[.A-Z]{5}\s+(\S+)/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

/** An ffmpeg encoder and the arguments that select it (fast settings, tiny bitrates). */
interface Encoding {
  encoder: string;
  args: readonly string[];
}

/** How each codec can be encoded, best first: a clip uses the first encoder this ffmpeg has. */
export const CODECS = {
  // veryfast keeps B-frames, so composition offsets (presentation order ≠ decode order) are exercised.
  h264: [
    {
      encoder: 'libx264',
      args: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '40', '-pix_fmt', 'yuv420p'],
    },
  ],
  hevc: [
    {
      encoder: 'libx265',
      args: [
        '-c:v',
        'libx265',
        '-preset',
        'ultrafast',
        '-x265-params',
        'log-level=none',
        '-pix_fmt',
        'yuv420p',
      ],
    },
  ],
  vp9: [{ encoder: 'libvpx-vp9', args: ['-c:v', 'libvpx-vp9', '-b:v', '50k', '-cpu-used', '8'] }],
  // Default (good-quality, two-pass-like lag) settings: VP8 alt-ref frames are exercised.
  vp8: [{ encoder: 'libvpx', args: ['-c:v', 'libvpx', '-b:v', '50k'] }],
  av1: [
    { encoder: 'libaom-av1', args: ['-c:v', 'libaom-av1', '-cpu-used', '8', '-b:v', '50k'] },
    { encoder: 'libsvtav1', args: ['-c:v', 'libsvtav1', '-preset', '12', '-b:v', '50k'] },
  ],
  mpeg4: [{ encoder: 'mpeg4', args: ['-c:v', 'mpeg4', '-q:v', '10'] }],
  mjpeg: [{ encoder: 'mjpeg', args: ['-c:v', 'mjpeg', '-q:v', '10', '-pix_fmt', 'yuvj420p'] }],
} as const satisfies Record<string, readonly Encoding[]>;

type Codec = keyof typeof CODECS;

let available: Set<string> | undefined;

/** The encoding this ffmpeg can make `codec` with, or undefined when it has none of its encoders. */
export function encodingFor(codec: Codec): Encoding | undefined {
  available ??= ffmpegEncoders();
  const has = available;
  return CODECS[codec].find((option: Encoding) => has.has(option.encoder));
}

/** The frame size of every clip. */
export const CLIP_SIZE = { width: 64, height: 64 } as const;

/** How the file is laid out, beyond its container's defaults. */
type Layout = 'moov-first' | 'moov-last' | 'fragmented' | 'piped' | 'vfr' | 'from-mkv';

/** One clip to make: container (by extension), codec, rate as ffmpeg takes it ("30000/1001"), length. */
export interface Clip {
  ext: 'mp4' | 'mov' | 'mkv' | 'webm' | 'avi';
  codec: Codec;
  rate: string;
  frames: number;
  layout?: Layout;
}

/** Frame times of the variable-rate clips: evenly spaced, then a 0.5 s gap after frame 20, and every third frame 10 ms late. */
const VFR_PTS = "setpts='N/30/TB+if(gt(N,20),0.5/TB,0)+if(eq(mod(N,3),0),0.01/TB,0)'";

const FORMAT_BY_EXT: Readonly<Record<Clip['ext'], string>> = {
  mp4: 'mp4',
  mov: 'mov',
  mkv: 'matroska',
  webm: 'webm',
  avi: 'avi',
};

/** A clip's file name, which says what it is. */
export function clipName(clip: Clip): string {
  const rate = clip.rate.replace('/', 'over');
  return `${clip.codec}-${rate}-${clip.frames}f${clip.layout ? `-${clip.layout}` : ''}.${clip.ext}`;
}

/** The ffmpeg arguments that make `clip`, writing to `output` ("pipe:1" for a piped clip). */
function ffmpegArgs(clip: Clip, output: string): string[] {
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'];
  args.push(
    '-i',
    `testsrc=size=${CLIP_SIZE.width}x${CLIP_SIZE.height}:rate=${clip.layout === 'vfr' ? '30' : clip.rate}`,
  );
  args.push('-frames:v', String(clip.frames));
  if (clip.layout === 'vfr') args.push('-vf', VFR_PTS, '-fps_mode', 'passthrough');
  const encoding = encodingFor(clip.codec);
  if (!encoding) throw new Error(`this ffmpeg has no encoder for ${clip.codec}`);
  args.push(...encoding.args);
  if (clip.codec === 'hevc' && (clip.ext === 'mp4' || clip.ext === 'mov')) args.push('-tag:v', 'hvc1');
  if (clip.layout === 'moov-first') args.push('-movflags', '+faststart');
  if (clip.layout === 'fragmented') args.push('-movflags', 'frag_keyframe+empty_moov+default_base_moof');
  args.push('-f', FORMAT_BY_EXT[clip.ext], output);
  return args;
}

/** Makes `clip` at `path`; a piped clip goes through ffmpeg's stdout, as a recorder writing to a pipe would. */
export async function makeClip(clip: Clip, path: string): Promise<void> {
  if (clip.layout === 'from-mkv') {
    // Stream-copied from a Matroska file: the frames keep its millisecond timestamps.
    const mkv = `${path}.source.mkv`;
    await run(
      'ffmpeg',
      ffmpegArgs({ ext: 'mkv', codec: clip.codec, rate: clip.rate, frames: clip.frames }, mkv),
    );
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', mkv, '-c', 'copy', path]);
    await rm(mkv);
    return;
  }
  if (clip.layout !== 'piped') {
    await run('ffmpeg', ffmpegArgs(clip, path));
    return;
  }
  await new Promise<void>((done, fail) => {
    const child = spawn('ffmpeg', ffmpegArgs(clip, 'pipe:1'), { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = createWriteStream(path);
    child.stdout.pipe(out);
    child.on('error', fail);
    out.on('finish', () =>
      child.exitCode === 0 || child.exitCode === null ? done() : fail(new Error('ffmpeg failed')),
    );
    child.on('exit', (code) => code !== 0 && fail(new Error(`ffmpeg exited with ${code}`)));
  });
}

/** What ffprobe says about a file's first video stream. */
export interface FfprobeReading {
  /** Frames decoded (`-count_frames`). */
  frames: number;
  /** `r_frame_rate` as num/den. */
  rate: { num: number; den: number };
  timeBase: { num: number; den: number };
  /** Every packet's presentation timestamp, in the stream's time base. */
  pts: number[];
}

const rational = (text: string): { num: number; den: number } => {
  const [num, den] = text.split('/').map(Number);
  return { num: num ?? Number.NaN, den: den ?? 1 };
};

/** Runs `ffprobe -count_frames` on the first video stream. */
export async function ffprobe(path: string): Promise<FfprobeReading> {
  const { stdout } = await run(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_frames,r_frame_rate,time_base',
      '-show_entries',
      'packet=pts',
      '-of',
      'json',
      path,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const parsed = JSON.parse(stdout) as {
    streams: Array<{ nb_read_frames: string; r_frame_rate: string; time_base: string }>;
    packets?: Array<{ pts?: number }>;
  };
  const stream = parsed.streams[0];
  if (!stream) throw new Error(`ffprobe found no video stream in ${path}`);
  return {
    frames: Number(stream.nb_read_frames),
    rate: rational(stream.r_frame_rate),
    timeBase: rational(stream.time_base),
    pts: (parsed.packets ?? []).flatMap((packet) => (typeof packet.pts === 'number' ? [packet.pts] : [])),
  };
}

/** The documented average rate of a variable-rate video, from ffprobe's timestamps: (frames − 1) / (last − first). */
export function averageRate(reading: FfprobeReading): number {
  const first = Math.min(...reading.pts);
  const last = Math.max(...reading.pts);
  return ((reading.pts.length - 1) * reading.timeBase.den) / ((last - first) * reading.timeBase.num);
}
