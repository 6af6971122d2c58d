/**
 * The README's architecture tables name the folders as they are: every folder of main/ (and of main/uploads/) has
 * a row, and every row names a folder that exists. A folder added, moved or removed without the README fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const architecture = readme.slice(
  readme.indexOf('## Architecture'),
  readme.indexOf('\n## ', readme.indexOf('## Architecture') + 1),
);

/** The folder names in the first column of the tables of the Architecture section. */
function rowsOf(section: string): string[] {
  return [...section.matchAll(/^\| `([^`]+)\/`/gm)].map((match) => match[1] as string);
}

function foldersIn(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

describe("the README's architecture tables", () => {
  const rows = rowsOf(architecture);

  it('have a row for every folder of main/ and nothing that is not one', () => {
    const layers = rows.filter((row) => row.startsWith('main/')).map((row) => row.slice('main/'.length));
    expect(layers.sort()).toEqual(foldersIn('main').sort());
  });

  it('have a row for every folder of main/uploads/ and nothing that is not one', () => {
    const uploads = rows.filter(
      (row) =>
        !row.includes('/') && !['common', 'preload', 'renderer', 'sandbox', 'test', 'bench'].includes(row),
    );
    expect(uploads.sort()).toEqual(foldersIn('main/uploads').sort());
  });

  it('name the top-level folders that exist', () => {
    for (const top of ['common', 'preload', 'renderer', 'sandbox', 'test', 'bench']) {
      expect(rows).toContain(top);
      expect(foldersIn('.')).toContain(top);
    }
  });
});
