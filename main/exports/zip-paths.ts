/**
 * Where each entry of an archive lands, compared as most file systems compare names (APFS, NTFS and exFAT fold
 * case, APFS and HFS+ treat composed and decomposed accents alike): "A.json" and "a.json", a file "r1" and a
 * folder "r1/", or "café" written composed and decomposed cannot land on one another. Two files that meet so are
 * refused; folders that meet so are one folder, spelt as the first entry spelt it, so that "Photos/a.jpg" and
 * "photos/b.jpg" end up side by side on every system rather than in one folder or two depending on the disk.
 */

/** A name part as a file system that folds case and normalization compares it. */
function fold(part: string): string {
  return part.normalize('NFC').toLowerCase();
}

/** The path claims of one archive. */
export class PathClaims {
  private readonly files = new Set<string>();
  /** Folded folder paths, with the spelling of the last part as first claimed. */
  private readonly folders = new Map<string, string>();

  /**
   * Claims the entry at `parts` (its path, split; a folder when `directory`). Returns the parts to write (folders
   * spelt as first claimed), or why the entry cannot be written; nothing is claimed in that case.
   */
  claim(parts: readonly string[], directory: boolean): { parts: string[] } | { reason: string } {
    const keys: string[] = [];
    let key = '';
    for (const part of parts) {
      key = `${key}/${fold(part)}`;
      keys.push(key);
    }
    const last = keys.length - 1;
    for (let index = 0; index < last; index += 1) {
      if (this.files.has(keys[index] as string)) return { reason: 'lies inside a file of the same name' };
    }
    const own = keys[last] as string;
    if (this.files.has(own)) return { reason: directory ? 'is both a file and a folder' : 'appears twice' };
    if (!directory && this.folders.has(own)) return { reason: 'is both a file and a folder' };
    const written = parts.map((part, index) => {
      const folder = index < last || directory;
      const path = keys[index] as string;
      if (!folder) return part;
      const spelt = this.folders.get(path);
      if (spelt !== undefined) return spelt;
      this.folders.set(path, part);
      return part;
    });
    if (!directory) this.files.add(own);
    return { parts: written };
  }
}
