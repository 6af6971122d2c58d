/**
 * The stable name the server sees for a queued file's asset. It is derived from the journal's random id and the
 * item's id, which are written before any request, so after a crash the same item always looks for the same name.
 * (Input records carry nothing of ours: see record-identity.ts.)
 */
import { basename, extname } from 'node:path';

/** `<file stem>~<8 chars of journal id>-<item id><ext>`: unique per journal and item, readable, filesystem safe. */
export function assetNameFor(journalId: string, itemId: number, path: string): string {
  const ext = extname(path);
  const stem = basename(path, ext).slice(0, 120);
  return `${stem}~${journalId.slice(0, 8)}-${itemId}${ext}`;
}
