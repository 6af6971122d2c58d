/**
 * Intake, step two: decide whether a file is an image, a video or a text document, from its extension AND its
 * content. The extension says what the user meant; the first bytes say what the file is. When the two disagree
 * about the kind (a PNG named .mp4), the file is skipped with both facts in the reason, rather than uploaded to
 * fail in preprocessing.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { MediaKind } from '../../../common/alegion.ts';
import { describeFsError } from './fs-errors.ts';

/** What a file is, or why it is skipped. */
export type Classification = { kind: MediaKind; mime: string } | { skip: string };

/** A format recognized from content, with the kind it belongs to. */
interface Sniffed {
  kind: MediaKind;
  mime: string;
  label: string;
}

/** Extensions taken, and the kind each promises. */
const KIND_BY_EXTENSION: Readonly<Record<string, MediaKind>> = {
  jpg: 'image',
  jpeg: 'image',
  jpe: 'image',
  png: 'image',
  gif: 'image',
  webp: 'image',
  bmp: 'image',
  tif: 'image',
  tiff: 'image',
  heic: 'image',
  heif: 'image',
  avif: 'image',
  mp4: 'video',
  m4v: 'video',
  mov: 'video',
  qt: 'video',
  webm: 'video',
  mkv: 'video',
  avi: 'video',
  txt: 'text',
  text: 'text',
};

const KIND_NOUN: Readonly<Record<MediaKind, string>> = {
  image: 'an image',
  video: 'a video',
  text: 'a text document',
};
const KIND_PLURAL: Readonly<Record<MediaKind, string>> = {
  image: 'images',
  video: 'videos',
  text: 'text documents',
};

/** Bytes read for magic-number sniffing; every signature below fits. */
const SNIFF_BYTES = 64;
/** Text is validated in pieces this size, so a large document is never held whole. */
const TEXT_READ_BYTES = 64 * 1024;

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, end));

/** ISO base media brands that hold still images rather than video. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

/** Recognizes an image or video container from its first bytes; null when none matches. */
export function sniffMedia(head: Uint8Array): Sniffed | null {
  const b = (i: number): number => head[i] ?? -1;
  if (b(0) === 0x89 && ascii(head, 1, 4) === 'PNG' && b(4) === 0x0d && b(5) === 0x0a)
    return { kind: 'image', mime: 'image/png', label: 'PNG image' };
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff)
    return { kind: 'image', mime: 'image/jpeg', label: 'JPEG image' };
  const first6 = ascii(head, 0, 6);
  if (first6 === 'GIF87a' || first6 === 'GIF89a')
    return { kind: 'image', mime: 'image/gif', label: 'GIF image' };
  if (ascii(head, 0, 4) === 'RIFF') {
    const form = ascii(head, 8, 12);
    if (form === 'WEBP') return { kind: 'image', mime: 'image/webp', label: 'WebP image' };
    if (form === 'AVI ') return { kind: 'video', mime: 'video/x-msvideo', label: 'AVI video' };
  }
  if (b(0) === 0x42 && b(1) === 0x4d && head.length >= 26)
    return { kind: 'image', mime: 'image/bmp', label: 'BMP image' };
  if (
    (ascii(head, 0, 2) === 'II' && b(2) === 42 && b(3) === 0) ||
    (ascii(head, 0, 2) === 'MM' && b(2) === 0 && b(3) === 42)
  ) {
    return { kind: 'image', mime: 'image/tiff', label: 'TIFF image' };
  }
  const box = ascii(head, 4, 8);
  if (box === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (IMAGE_BRANDS.has(brand)) {
      return brand.startsWith('avi')
        ? { kind: 'image', mime: 'image/avif', label: 'AVIF image' }
        : { kind: 'image', mime: 'image/heic', label: 'HEIC image' };
    }
    if (brand === 'qt  ') return { kind: 'video', mime: 'video/quicktime', label: 'QuickTime video' };
    return { kind: 'video', mime: 'video/mp4', label: 'MP4 video' };
  }
  // Old QuickTime files start with a movie atom instead of ftyp.
  if (box === 'moov' || box === 'mdat' || box === 'wide' || box === 'free' || box === 'skip')
    return { kind: 'video', mime: 'video/quicktime', label: 'QuickTime video' };
  if (b(0) === 0x1a && b(1) === 0x45 && b(2) === 0xdf && b(3) === 0xa3) {
    // EBML header: the DocType string near the start tells WebM from Matroska.
    const isWebm = ascii(head, 0, head.length).includes('webm');
    return isWebm
      ? { kind: 'video', mime: 'video/webm', label: 'WebM video' }
      : { kind: 'video', mime: 'video/x-matroska', label: 'Matroska video' };
  }
  return null;
}

/** The kind a file's extension promises, or why the extension is not taken. */
export function kindByExtension(filePath: string): { kind: MediaKind; ext: string } | { skip: string } {
  const ext = path.extname(filePath).slice(1).toLowerCase();
  const kind = KIND_BY_EXTENSION[ext];
  if (!kind)
    return { skip: ext ? `unsupported file type (.${ext})` : 'unsupported file type (no extension)' };
  return { kind, ext };
}

/** Classifies by extension and content sniffing (magic bytes; text = valid UTF-8 without NULs); mismatch between extension and content is a clear skip reason. */
export async function classifyFile(filePath: string, size: number): Promise<Classification> {
  const expected = kindByExtension(filePath);
  if ('skip' in expected) return expected;
  if (size === 0) return { skip: 'empty file' };

  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    return { skip: describeFsError(error) };
  }
  try {
    const head = new Uint8Array(Math.min(SNIFF_BYTES, size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead === 0) return { skip: 'empty file' };
    const verdict = byHead(expected, head.subarray(0, bytesRead));
    if (verdict !== CHECK_TEXT) return verdict;
    return textVerdict(await findTextProblem(handle));
  } catch (error) {
    return { skip: describeFsError(error) };
  } finally {
    await handle.close().catch(() => {});
  }
}

/** classifyFile for a file already read whole into memory: the same checks, without touching the disk. */
export function classifyContent(filePath: string, content: Uint8Array): Classification {
  const expected = kindByExtension(filePath);
  if ('skip' in expected) return expected;
  if (content.length === 0) return { skip: 'empty file' };
  const verdict = byHead(expected, content.subarray(0, SNIFF_BYTES));
  if (verdict !== CHECK_TEXT) return verdict;
  const check = new TextCheck();
  return textVerdict(check.piece(content) ?? check.end());
}

/** What byHead answers for a text file whose whole content is still to be checked. */
const CHECK_TEXT = Symbol('check the text');

/** The verdict from the first bytes, or CHECK_TEXT when a file named as text does not look like media. */
function byHead(
  expected: { kind: MediaKind; ext: string },
  head: Uint8Array,
): Classification | typeof CHECK_TEXT {
  const { kind, ext } = expected;
  const sniffed = sniffMedia(head);
  if (kind === 'text') {
    if (sniffed) return { skip: `content is ${withArticle(sniffed.label)} but the name ends in .${ext}` };
    return CHECK_TEXT;
  }
  if (!sniffed)
    return { skip: `the name ends in .${ext} but the content is not a recognized ${kind} format` };
  if (sniffed.kind !== kind)
    return { skip: `content is ${withArticle(sniffed.label)} but the name ends in .${ext}` };
  // Same kind, other format (a PNG named .jpg, an MP4 named .mov) is common and harmless: trust the content.
  return { kind: sniffed.kind, mime: sniffed.mime };
}

function textVerdict(problem: string | null): Classification {
  return problem ? { skip: problem } : { kind: 'text', mime: 'text/plain' };
}

function withArticle(label: string): string {
  return /^[AEIOU]/.test(label) ? `an ${label}` : `a ${label}`;
}

/** Checks a document piece by piece, in order: UTF-8 (no UTF-16 mark), no NUL byte. */
class TextCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private first = true;

  /** Why the document is not text, judging by this next piece; null while it still is. */
  piece(piece: Uint8Array): string | null {
    if (
      this.first &&
      ((piece[0] === 0xff && piece[1] === 0xfe) || (piece[0] === 0xfe && piece[1] === 0xff))
    ) {
      return 'not UTF-8 text (it is UTF-16; save it as UTF-8)';
    }
    this.first = false;
    if (piece.includes(0)) return 'not text: it contains NUL bytes (binary content)';
    try {
      this.decoder.decode(piece, { stream: true });
    } catch {
      return 'not valid UTF-8 text';
    }
    return null;
  }

  /** Why the document is not text, once every piece was checked; null when it is. */
  end(): string | null {
    try {
      this.decoder.decode();
    } catch {
      return 'not valid UTF-8 text (it ends inside a character)';
    }
    return null;
  }
}

/** Reads the whole document in pieces; returns why it is not UTF-8 text, or null when it is. */
async function findTextProblem(handle: FileHandle): Promise<string | null> {
  const check = new TextCheck();
  const buffer = new Uint8Array(TEXT_READ_BYTES);
  let position = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    const problem = check.piece(buffer.subarray(0, bytesRead));
    if (problem) return problem;
    position += bytesRead;
  }
  return check.end();
}

/** Whether a kind fits a workflow's declared kind; returns null or a clear reason. */
export function checkKindFits(kind: MediaKind, declared: MediaKind | undefined): string | null {
  if (declared === undefined || kind === declared) return null;
  return `${KIND_NOUN[kind]} does not fit this workflow, which takes ${KIND_PLURAL[declared]}`;
}
