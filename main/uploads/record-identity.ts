/**
 * How an input record is recognised without writing anything into it: in the journal by the exact text of the row
 * (and which identical row of the file it is), and in a batch's listing by its content (data and metadata), because
 * the platform keeps the customer's metadata as given and has no field of ours.
 */
import { createHash } from 'node:crypto';
import type { ImportRecord } from '../../common/alegion.ts';
import { canonicalJson } from '../../common/exact-json.ts';

/** The record as it is sent and kept in the journal: exact JSON text (numbers as written, metadata only if given). */
export function recordPayload(record: ImportRecord): string {
  return JSON.stringify(record.metadata === undefined ? { data: record.data } : record);
}

/**
 * Journal keys for the rows of a file, parallel to `payloads`: `record:<hash of the row>#<n>` for the n-th row with
 * that content, so identical rows stay distinct and a rerun of the same rows finds the same keys.
 */
export function rowKeys(payloads: Iterable<string>, seen = new Map<string, number>()): string[] {
  const keys: string[] = [];
  for (const payload of payloads) {
    const hash = createHash('sha256').update(payload).digest('base64url').slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    keys.push(`record:${hash}#${occurrence}`);
  }
  return keys;
}

/**
 * A record's content as the platform lists it: data (keys sorted, numbers as a double reads them, since a listing
 * is parsed that way) and metadata, absent and empty told apart.
 */
export function recordContentKey(data: unknown, metadata: string | null | undefined): string {
  const plain: unknown = JSON.parse(JSON.stringify(data ?? null));
  return `${canonicalJson(plain)}\u0000${metadata === null || metadata === undefined ? '-' : `+${metadata}`}`;
}

/** Record ids grouped by content, taken one by one: a multiset of what a batch holds. */
export class RecordsByContent {
  private readonly ids = new Map<string, string[]>();

  add(key: string, recordId: string): void {
    const list = this.ids.get(key);
    if (list) list.push(recordId);
    else this.ids.set(key, [recordId]);
  }

  /** Takes one record id with this content, oldest first, or undefined when none is left. */
  take(key: string): string | undefined {
    return this.ids.get(key)?.shift();
  }
}
