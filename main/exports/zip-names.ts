/**
 * The names of zip entries: how their bytes become text, and which names may be written to disk. Names flagged as
 * UTF-8 (bit 11) or carrying Info-ZIP's Unicode Path field are UTF-8; unflagged names that are valid UTF-8 are read
 * as UTF-8 too, as Info-ZIP's `unzip` does, because Info-ZIP `zip` on Linux and most scripts write UTF-8 without the
 * flag; anything else is CP437, the format's default. Control characters are replaced (not refused: one odd file
 * name from a labeler's upload must not block the whole export), NUL, absolute paths and `..` are refused.
 */
import yauzl from 'yauzl';
import type { Entry } from 'yauzl';

/** Bit 11 of the general purpose flags: the name and comment are UTF-8. */
const UTF8_FLAG = 0x800;
/** Longest name part most file systems accept (ext4, APFS, NTFS count 255 bytes or UTF-16 units). */
const MAX_NAME_PART_BYTES = 255;
/** What a control character in a name is written as. */
const CONTROL_REPLACEMENT = '_';

/** C0 controls other than NUL, DEL and C1 controls: nothing a file name should hold, and terminal escapes. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\x01-\x1f\x7f-\x9f]/g;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The entry's name as text, backslashes turned into slashes (so `a\..\x` is caught as `..`). */
export function decodeEntryName(
  entry: Pick<Entry, 'generalPurposeBitFlag' | 'fileNameRaw' | 'extraFields'>,
): string {
  const flags = isValidUtf8(entry.fileNameRaw)
    ? entry.generalPurposeBitFlag | UTF8_FLAG
    : entry.generalPurposeBitFlag;
  return yauzl.getFileNameLowLevel(flags, entry.fileNameRaw, entry.extraFields, false);
}

/** The name with every control character (NUL aside, which is refused) replaced by CONTROL_REPLACEMENT. */
export function withoutControls(name: string): string {
  return name.replace(CONTROL_CHARACTERS, CONTROL_REPLACEMENT);
}

/** Why an entry name is unsafe, or undefined when it is a plain relative path. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'has an empty name';
  if (name.includes('\0')) return 'has a NUL character in its name';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'is an absolute path';
  const parts = name.split('/');
  if (parts.includes('..')) return 'climbs out with ".."';
  if (parts.some((part) => Buffer.byteLength(part) > MAX_NAME_PART_BYTES)) {
    return `has a name part longer than ${MAX_NAME_PART_BYTES} bytes, which file systems refuse`;
  }
  return undefined;
}

/** A name as shown in a message: control characters spelled out (`\x1b`), and at most 200 characters. */
export function shownName(name: string): string {
  const visible = name.replace(
    // eslint-disable-next-line no-control-regex -- spelling control characters out is the point
    /[\x00-\x1f\x7f-\x9f]/g,
    (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return visible.length > 200 ? `${visible.slice(0, 199)}…` : visible;
}

/** Renamed entries shown by name in the sentence below; the rest are counted. */
const RENAMED_SHOWN = 3;

/**
 * What a person is told about entries written under another name: undefined when there were none, else one
 * sentence naming the first few (control characters spelled out) and the names written instead.
 */
export function renamedSentence(renamed: readonly { entry: string; written: string }[]): string | undefined {
  if (renamed.length === 0) return undefined;
  const shown = renamed
    .slice(0, RENAMED_SHOWN)
    .map(({ entry, written }) => `"${entry}" as "${written}"`)
    .join(', ');
  const more = renamed.length > RENAMED_SHOWN ? `, and ${renamed.length - RENAMED_SHOWN} more` : '';
  const count = renamed.length === 1 ? '1 name held' : `${renamed.length} names held`;
  return `${count} control characters, written with "${CONTROL_REPLACEMENT}" in their place: ${shown}${more}`;
}
