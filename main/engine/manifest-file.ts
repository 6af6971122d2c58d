/**
 * "Save manifest" in the batch view: the same manifest the CLI's `manifest` command writes (batch-manifest.ts), read
 * from this app's upload journal, with each record's status as the platform lists it now.
 */
import type { SaveManifestArgs } from '../../common/api.ts';
import type { AlegionClient } from '../alegion/types.ts';
import { listBatchRecords, manifestText, withStatuses } from '../uploads/batch-manifest.ts';
import type { ManifestLine } from '../uploads/batch-manifest.ts';
import { safeFileName } from './saved-files.ts';

/** The manifest's file name, text and line count for the batch, from the journal's lines for it. */
export async function batchManifestFile(
  client: AlegionClient,
  lines: readonly ManifestLine[],
  args: SaveManifestArgs,
): Promise<{ name: string; text: string; rows: number }> {
  // Nothing sent from here: no need to list the batch's records.
  const withStatus =
    lines.length > 0 ? withStatuses(lines, await listBatchRecords(client, args.batchId)) : [];
  return {
    name: `${safeFileName(args.batchName)} manifest.${args.format}`,
    text: manifestText(withStatus, args.format),
    rows: withStatus.length,
  };
}
