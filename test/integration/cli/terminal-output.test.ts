/**
 * File names reach the terminal escaped. Files whose names hold a newline, escape sequences, a one-byte CSI (C1),
 * BEL, backspace and a bidi override are uploaded through the CLI against the sandbox: text output has no raw
 * control and no forged line, and --json output, read by Python's json module, gives the names back exactly.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_WORKFLOWS } from '../../../sandbox/server.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { runCli, sandboxEnv, tempDir } from '../uploads/helpers.ts';

const sandbox = useSandbox({ labelers: false, seed: 5 });

/** Names a file system allows and a terminal would act on. */
const HOSTILE_NAMES = [
  'new\nfailed  forged.png',
  'esc\x1b[2J\x1b[31mred.png',
  'csi\u009b2Jc1.png',
  'bidi\u202egnp.exe.png',
  'bell\x07back\x08space.png',
  'osc\x1b]0;title\x07.png',
];

/** C0 controls but the line end, DEL, C1 controls, and bidi controls. */
function rawControls(text: string): string[] {
  return [...text].filter((char) => {
    const code = char.codePointAt(0) as number;
    return (
      (code < 0x20 && code !== 0x0a) ||
      (code >= 0x7f && code <= 0x9f) ||
      [0x061c, 0x200e, 0x200f, 0x2028, 0x2029].includes(code) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
}

/** A folder of PNG-looking files with the hostile names (too large for the limit, so each one is listed as failed). */
function hostileFolder(): string {
  const folder = join(tempDir('hostile-'), 'in');
  mkdirSync(folder);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  HOSTILE_NAMES.forEach((name, i) =>
    writeFileSync(join(folder, name), Buffer.concat([signature, Buffer.alloc(4000, i)])),
  );
  // An empty file is left out by the walk, and its name is printed with the reason.
  writeFileSync(join(folder, 'empty\x1b[Kline\r.png'), '');
  return folder;
}

function uploadArgs(folder: string, batch: string, extra: string[] = []): string[] {
  const state = tempDir('hostile-state-');
  return [
    'upload',
    folder,
    '--workflow',
    SANDBOX_WORKFLOWS.image,
    '--new-batch',
    batch,
    '--max-file-size',
    '0.001',
    '--state-dir',
    state,
    ...extra,
  ];
}

describe('CLI output with hostile file names', () => {
  it('text mode shows each name escaped on its own line: no raw control, no forged line', async () => {
    const folder = hostileFolder();
    const run = await runCli(uploadArgs(folder, 'hostile text'), sandboxEnv(sandbox()));
    expect(run.code).toBe(1);
    expect(rawControls(run.stdout)).toEqual([]);
    expect(rawControls(run.stderr)).toEqual([]);
    const lines = run.stdout.split('\n');
    // Exactly one "failed" line per file: the newline in a name did not make another.
    expect(lines.filter((line) => /^\s*failed\s/.test(line))).toHaveLength(HOSTILE_NAMES.length);
    expect(run.stdout).toContain('new\\nfailed  forged.png');
    expect(run.stdout).toContain('esc\\x1b[2J\\x1b[31mred.png');
    expect(run.stdout).toContain('csi\\x9b2Jc1.png');
    expect(run.stdout).toContain('bidi\\u202egnp.exe.png');
    expect(run.stdout).toContain('bell\\x07back\\x08space.png');
    expect(run.stdout).toContain('empty\\x1b[Kline\\r.png: empty file');
  });

  it('--json stays exact JSON: Python reads the names back as they are on disk, and no raw control is sent', async () => {
    const folder = hostileFolder();
    const run = await runCli(uploadArgs(folder, 'hostile json', ['--json']), sandboxEnv(sandbox()));
    expect(run.code).toBe(1);
    expect(rawControls(run.stdout)).toEqual([]);
    const script = [
      'import json, sys',
      'names = set()',
      'for line in sys.stdin.read().split("\\n"):',
      '    if not line: continue',
      '    event = json.loads(line)',
      '    if event["event"] == "item": names.add(event["name"])',
      '    if event["event"] == "skipped": names.add(event["path"].rsplit("/", 1)[1])',
      'print(json.dumps(sorted(names)))',
    ].join('\n');
    const read = JSON.parse(
      execFileSync('python3', ['-c', script], { input: run.stdout, encoding: 'utf8' }),
    ) as string[];
    expect(read).toEqual(readdirSync(folder).sort());
  });
});
