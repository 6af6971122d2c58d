/**
 * The text of a records file, decoded as it streams. The encoding comes from a byte-order mark (UTF-8, UTF-16 LE or
 * BE), else from the user (`--encoding`, any WHATWG label Node's TextDecoder knows), else UTF-8. Decoding is strict:
 * a byte that is not valid in the encoding stops the read with its line and byte offset, so a Windows-1252 file is
 * never imported with U+FFFD in place of its accented letters.
 */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';

/** A file that cannot be decoded: the line and the message to show. */
export class RecordsTextError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(message);
    this.name = 'RecordsTextError';
    this.line = line;
  }
}

/** How a file is decoded: the WHATWG name of the encoding, and whether a byte-order mark said so. */
export interface TextEncodingUsed {
  encoding: string;
  fromBom: boolean;
}

/** The fix shown for a file that is not UTF-8 (Excel's "CSV (Comma delimited)" writes Windows-1252). */
const NOT_UTF8_FIX = 'save it as CSV UTF-8, or pass --encoding windows-1252';

const BOMS: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** The canonical WHATWG name for an encoding label, or an error naming the label. */
export function encodingName(label: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw new RecordsTextError(
      0,
      `unknown encoding "${label}": use a WHATWG encoding label such as utf-8, windows-1252, iso-8859-2, shift_jis or utf-16le`,
    );
  }
}

/** The encoding a byte-order mark at the start of `head` names, if any. */
function encodingFromBom(head: Uint8Array): string | null {
  const bom = BOMS.find(({ bytes }) => bytes.every((byte, index) => head[index] === byte));
  return bom?.encoding ?? null;
}

/**
 * Decodes a file chunk by chunk. A byte-order mark wins over `label` (as WHATWG decoding does) and is not part of
 * the text. Throws RecordsTextError on the first byte sequence that is not valid in the encoding.
 */
export async function* decodeFile(
  filePath: string,
  label: string | undefined,
  onEncoding: (used: TextEncodingUsed) => void,
): AsyncGenerator<string> {
  const requested = label === undefined ? 'utf-8' : encodingName(label);
  let decoder: TextDecoder | undefined;
  let encoding = requested;
  let offset = 0;
  for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
    if (!decoder) {
      const fromBom = encodingFromBom(chunk);
      encoding = fromBom ?? requested;
      onEncoding({ encoding, fromBom: fromBom !== null });
      decoder = new TextDecoder(encoding, { fatal: true });
    }
    try {
      yield decoder.decode(chunk, { stream: true });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw await invalidTextError(filePath, encoding, offset);
    }
    offset += chunk.length;
  }
  if (!decoder) {
    onEncoding({ encoding: requested, fromBom: false });
    return;
  }
  try {
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw await invalidTextError(filePath, encoding, offset);
  }
}

/** The error for undecodable bytes: exact line and byte offset for UTF-8, the chunk's offset for other encodings. */
async function invalidTextError(
  filePath: string,
  encoding: string,
  chunkOffset: number,
): Promise<RecordsTextError> {
  if (encoding !== 'utf-8')
    return new RecordsTextError(
      0,
      `the file is not valid ${encoding.toUpperCase()} (a byte near offset ${chunkOffset} cannot be decoded); check the encoding`,
    );
  const at = await locateInvalidUtf8(filePath);
  const byte = at.byte.toString(16).toUpperCase().padStart(2, '0');
  return new RecordsTextError(
    at.line,
    `the file is not valid UTF-8 (byte 0x${byte} at byte offset ${at.offset}): ${NOT_UTF8_FIX}`,
  );
}

/** Where the first invalid UTF-8 sequence of a file starts: its byte offset, line, and first byte. */
async function locateInvalidUtf8(filePath: string): Promise<{ offset: number; line: number; byte: number }> {
  let line = 1;
  let offset = 0;
  let need = 0; // continuation bytes still expected
  let lower = 0x80;
  let upper = 0xbf;
  let start = { offset: 0, line: 1, byte: 0 };
  for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (need > 0) {
        if (byte < lower || byte > upper) return start;
        need--;
        lower = 0x80;
        upper = 0xbf;
      } else if (byte >= 0x80) {
        start = { offset, line, byte };
        if (byte >= 0xc2 && byte <= 0xdf) need = 1;
        else if (byte >= 0xe0 && byte <= 0xef) {
          need = 2;
          if (byte === 0xe0) lower = 0xa0;
          if (byte === 0xed) upper = 0x9f;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          need = 3;
          if (byte === 0xf0) lower = 0x90;
          if (byte === 0xf4) upper = 0x8f;
        } else return start;
      } else if (byte === 0x0a) line++;
      offset++;
    }
  }
  return start; // a sequence cut off by the end of the file
}
