import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkKindFits, classifyFile, sniffMedia } from '../../../../../main/uploads/intake/classify.ts';

const media = (name: string): string => path.join(import.meta.dirname, '../../../../fixtures/media', name);
const classifyFixture = (name: string) => classifyFile(media(name), statSync(media(name)).size);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'classify-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
function put(name: string, content: string | Uint8Array): { file: string; size: number } {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return { file, size: statSync(file).size };
}

describe('classifyFile', () => {
  it.each([
    ['image-16x12.png', 'image', 'image/png'],
    ['image-16x12.jpg', 'image', 'image/jpeg'],
    ['image-16x12.gif', 'image', 'image/gif'],
    ['image-16x12.webp', 'image', 'image/webp'],
    ['h264-29.97fps-45frames.mp4', 'video', 'video/mp4'],
    ['h264-25fps-50frames.mov', 'video', 'video/quicktime'],
    ['vp8-25fps-25frames.webm', 'video', 'video/webm'],
    ['h264-24fps-36frames.mkv', 'video', 'video/x-matroska'],
    ['document-utf8.txt', 'text', 'text/plain'],
    ['png-content-named.jpg', 'image', 'image/png'],
  ])('%s is %s (%s)', async (name, kind, mime) => {
    expect(await classifyFixture(name)).toEqual({ kind, mime });
  });

  it.each([
    ['png-content-named.mp4', 'content is a PNG image but the name ends in .mp4'],
    ['corrupt-garbage.mp4', 'the name ends in .mp4 but the content is not a recognized video format'],
    ['document-latin1.txt', 'not valid UTF-8 text'],
    ['document-utf16.txt', 'not UTF-8 text (it is UTF-16; save it as UTF-8)'],
  ])('skips %s: %s', async (name, reason) => {
    expect(await classifyFixture(name)).toEqual({ skip: reason });
  });

  it('skips unsupported extensions and names without one, without reading them', async () => {
    expect(await classifyFile('/nowhere/report.pdf', 10)).toEqual({ skip: 'unsupported file type (.pdf)' });
    expect(await classifyFile('/nowhere/README', 10)).toEqual({
      skip: 'unsupported file type (no extension)',
    });
  });

  it('matches extensions case-insensitively', async () => {
    const { file, size } = put('UPPER.PNG', readFileSync(media('image-16x12.png')));
    expect(await classifyFile(file, size)).toEqual({ kind: 'image', mime: 'image/png' });
  });

  it('skips empty, binary-with-NUL, image-as-text and vanished files with a reason', async () => {
    const empty = put('empty.txt', '');
    expect(await classifyFile(empty.file, empty.size)).toEqual({ skip: 'empty file' });
    const nul = put('nul.txt', 'abc\u0000def');
    expect(await classifyFile(nul.file, nul.size)).toEqual({
      skip: 'not text: it contains NUL bytes (binary content)',
    });
    const pngText = put('pic.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    expect(await classifyFile(pngText.file, pngText.size)).toEqual({
      skip: 'content is a PNG image but the name ends in .txt',
    });
    expect(await classifyFile(path.join(dir, 'gone.jpg'), 100)).toEqual({
      skip: 'vanished: it no longer exists',
    });
  });

  it('validates a text document across read boundaries (a character split between two reads is fine)', async () => {
    const text = 'a'.repeat(64 * 1024 - 1) + 'é' + 'fin'; // é straddles the 64 KiB read boundary
    const good = put('long.txt', text);
    expect(await classifyFile(good.file, good.size)).toEqual({ kind: 'text', mime: 'text/plain' });
    const cut = put('cut.txt', Buffer.from(text).subarray(0, 64 * 1024));
    expect(await classifyFile(cut.file, cut.size)).toEqual({
      skip: 'not valid UTF-8 text (it ends inside a character)',
    });
  });

  it.skipIf(process.getuid?.() === 0)(
    'skips an unreadable file (skipped as root: root reads everything)',
    async () => {
      const locked = put('locked.jpg', 'x');
      chmodSync(locked.file, 0o000);
      expect(await classifyFile(locked.file, locked.size)).toEqual({ skip: 'unreadable: permission denied' });
    },
  );
});

describe('sniffMedia', () => {
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    new Uint8Array(
      parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)),
    );

  it('tells still-image brands of ISO media from video brands', () => {
    expect(sniffMedia(bytes([0, 0, 0, 24], 'ftypheic'))?.mime).toBe('image/heic');
    expect(sniffMedia(bytes([0, 0, 0, 24], 'ftypavif'))?.mime).toBe('image/avif');
    expect(sniffMedia(bytes([0, 0, 0, 24], 'ftypisom'))?.mime).toBe('video/mp4');
    expect(sniffMedia(bytes([0, 0, 0, 24], 'ftypqt  '))?.mime).toBe('video/quicktime');
  });

  it('recognizes RIFF, TIFF and old QuickTime, and nothing from plain text', () => {
    expect(sniffMedia(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'))?.kind).toBe('video');
    expect(sniffMedia(bytes('II', [42, 0, 8, 0]))?.mime).toBe('image/tiff');
    expect(sniffMedia(bytes([0, 0, 0, 8], 'moov'))?.mime).toBe('video/quicktime');
    expect(sniffMedia(bytes('hello world, this is text'))).toBeNull();
  });
});

describe('checkKindFits', () => {
  it('accepts any kind when the workflow declares none, and the declared kind itself', () => {
    expect(checkKindFits('video', undefined)).toBeNull();
    expect(checkKindFits('image', 'image')).toBeNull();
  });

  it('explains a mismatch in the user’s terms', () => {
    expect(checkKindFits('video', 'image')).toBe('a video does not fit this workflow, which takes images');
    expect(checkKindFits('image', 'text')).toBe(
      'an image does not fit this workflow, which takes text documents',
    );
  });
});
