/**
 * Property test of the extractor's rules on names: for archives of random names (`..`, absolute paths, drive
 * letters, backslashes, NUL and other controls, long parts, any Unicode, composed and decomposed forms of one
 * name, case variants, raw bytes without the UTF-8 flag), it never writes outside the target folder, never writes
 * a name holding a control character, never writes two names one file system could take for the same, and never
 * fails with anything but a plain ExportError (whose message holds no control character either).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExportError } from '../../../../main/exports/export-errors.ts';
import { extractZipSafely } from '../../../../main/exports/safe-extract.ts';
import { rawZip } from '../../../fixtures/zips/raw-zip.ts';
import type { RawEntry } from '../../../fixtures/zips/raw-zip.ts';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

const controlChar = fc
  .integer({ min: 0, max: 0x9f })
  .map((code) => String.fromCharCode(code < 0x20 || code >= 0x7f ? code : code % 32));
const part = fc.oneof(
  fc.constantFrom('..', '.', '', 'C:', 'z:', '~', 'a', 'r1', 'CON', '...', ' ', 'a.json'),
  // The same names composed and decomposed (NFC and NFD), and in other cases.
  fc.constantFrom(
    'caf\u00e9',
    'cafe\u0301',
    'CAF\u00c9',
    '\u00c5ngstr\u00f6m',
    'A\u030angstro\u0308m',
    '\ufb01le',
  ),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.oneof(controlChar, fc.constantFrom('a', '.', '\\', '/', ':')), maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('x', 'é', '日'), minLength: 90, maxLength: 140 }),
);
const textName = fc
  .tuple(
    fc.constantFrom('', '', '', '/', '\\', 'C:/', 'C:\\', '//server/', '\\\\server\\'),
    fc.array(part, { minLength: 1, maxLength: 4 }),
    fc.constantFrom('/', '\\'),
    fc.boolean(),
  )
  .map(([prefix, parts, separator, folder]) => `${prefix}${parts.join(separator)}${folder ? '/' : ''}`);

/** The name as another archiver (or another system) may have written the same file: decomposed, upper case. */
const variant = fc.constantFrom(
  (name: string) => name.normalize('NFD'),
  (name: string) => name.normalize('NFC'),
  (name: string) => name.toUpperCase(),
);

const entry: fc.Arbitrary<RawEntry> = fc.oneof(
  textName.map((name) => ({ name, content: Buffer.from('{}') })),
  // Raw bytes with no UTF-8 flag: CP437, or UTF-8 the extractor must recognise.
  fc
    .uint8Array({ minLength: 1, maxLength: 40 })
    .map((bytes) => ({ name: Buffer.from(bytes), flags: 0, content: Buffer.from('x') })),
  textName.map((name) => ({ name: name.endsWith('/') ? name : `${name}/`, mode: 0o40755 })),
);

/** Every path under `root`, relative to it. */
async function everything(root: string): Promise<string[]> {
  const found = await readdir(root, { recursive: true });
  return found.map((path) => path.toString());
}

describe('the extractor on random names', () => {
  it('never writes outside the target, never writes a control character, never throws a raw error', async () => {
    const base = await mkdtemp(join(tmpdir(), 'zip-names-'));
    let run = 0;
    let extracted = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 4 }), variant, async (given, rewrite) => {
          // Half the time, one more entry named as a variant of the first text name: a clash to be caught.
          const first = given.find((item) => typeof item.name === 'string');
          const entries =
            first && run % 2 === 0
              ? [...given, { ...first, name: rewrite(first.name as string), flags: 0x800 }]
              : given;
          const root = join(base, String(run++));
          const out = join(root, 'out');
          const outside = join(root, 'outside');
          await mkdir(join(out), { recursive: true });
          await mkdir(outside);
          const zipPath = join(out, 'export.zip');
          await writeFile(zipPath, rawZip(entries));
          const folder = join(out, 'export');
          const outcome = await extractZipSafely(zipPath, folder).then(
            () => undefined,
            (error: unknown) => error,
          );
          const written = await everything(root);
          expect(await readdir(outside)).toEqual([]);
          expect((await readdir(root)).sort()).toEqual(['out', 'outside']);
          for (const path of written) {
            expect(
              path.startsWith(`out${sep}export${sep}`) ||
                path === `out${sep}export` ||
                path === 'out' ||
                path === 'outside' ||
                path === `out${sep}export.zip`,
            ).toBe(true);
            expect(CONTROL.test(relative(folder, join(root, path)))).toBe(false);
          }
          // No two paths written are one on a case-insensitive or normalizing file system (macOS, Windows).
          const folded = written.map((path) => path.normalize('NFC').toLowerCase());
          expect(new Set(folded).size).toBe(folded.length);
          if (outcome === undefined) extracted += 1;
          else {
            expect(outcome).toBeInstanceOf(ExportError);
            expect(CONTROL.test((outcome as Error).message)).toBe(false);
            // A refused archive leaves nothing beside it.
            expect(await readdir(out)).toEqual(['export.zip']);
          }
          await rm(root, { recursive: true, force: true });
        }),
        { seed: 1307, numRuns: 400 },
      );
      // The rules are exercised on archives that extract, not only on refused ones.
      expect(extracted).toBeGreaterThan(40);
      console.log(`zip names: ${extracted} of ${run} random archives extracted, the rest refused`);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
