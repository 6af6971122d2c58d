/**
 * Stable identities the server sees: the asset name of a queued file and the external id of an imported record.
 * Both are derived from the journal's random id and the item's id, which are written before any request, so after
 * a crash the same item always looks for the same name (assets) or the same id (records).
 */
import { basename, extname } from 'node:path';

/** Marker prefix of record external ids the uploader writes into `metadata`. */
export const EXTERNAL_ID_PREFIX = 'au:';

/** `<file stem>~<8 chars of journal id>-<item id><ext>`: unique per journal and item, readable, filesystem safe. */
export function assetNameFor(journalId: string, itemId: number, path: string): string {
  const ext = extname(path);
  const stem = basename(path, ext).slice(0, 120);
  return `${stem}~${journalId.slice(0, 8)}-${itemId}${ext}`;
}

/** External id of the n-th record of a records file in a run: `au:<journal>:<run>:<n>`. */
export function recordExternalId(journalId: string, runId: number, index: number): string {
  return `${EXTERNAL_ID_PREFIX}${journalId.slice(0, 8)}:${runId}:${index}`;
}

/**
 * The `metadata` sent with a record: the external id alone when the user gave no metadata, else a JSON string
 * `{"uploaderId": id, "metadata": <the user's string>}` so both travel together (the platform keeps one string).
 */
export function metadataWithId(externalId: string, userMetadata: string | undefined): string {
  if (userMetadata === undefined) return externalId;
  return JSON.stringify({ uploaderId: externalId, metadata: userMetadata });
}

/** The external id carried by a record's metadata, or null when the uploader did not write it. */
export function externalIdOf(metadata: string | null | undefined): string | null {
  if (!metadata) return null;
  if (metadata.startsWith(EXTERNAL_ID_PREFIX)) return metadata;
  if (!metadata.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(metadata) as { uploaderId?: unknown };
    return typeof parsed.uploaderId === 'string' ? parsed.uploaderId : null;
  } catch {
    return null;
  }
}
