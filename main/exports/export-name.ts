/**
 * Export files named for people: after the batch (or workflow) they hold and the local time they were made, e.g.
 * "Shelf photos results 2026-11-29 18-37-56.zip", made safe as a file name on every desktop system.
 */
import type { ExportFileType } from '../../common/alegion.ts';
import type { AlegionClient } from '../alegion/types.ts';

/** Most UTF-8 bytes of the name's own part (file systems allow 255 bytes for a whole name, suffixes included). */
export const MAX_STEM_BYTES = 120;

/** How long naming waits for the platform before the export goes ahead under a plain name. */
const LABEL_WAIT_MS = 3000;

// Characters Windows refuses in a name (the strictest of the three), and control characters.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\:*?"<>|\u0000-\u001f\u007f]/g;
// Names Windows keeps for devices, whatever the extension.
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * `text` as the start of a file name: forbidden characters become spaces, runs of spaces one, no leading or
 * trailing dots or spaces (Windows drops trailing ones; a leading dot hides the file), at most `maxBytes` of UTF-8
 * (cut between characters), never a device name; `fallback` when nothing is left.
 */
export function safeFileStem(text: string, fallback = 'results', maxBytes = MAX_STEM_BYTES): string {
  const cleaned = text.normalize('NFC').replace(FORBIDDEN, ' ').replace(/\s+/g, ' ');
  let stem = '';
  let bytes = 0;
  for (const char of cleaned.replace(/^[\s.]+/, '')) {
    bytes += Buffer.byteLength(char, 'utf8');
    if (bytes > maxBytes) break;
    stem += char;
  }
  stem = stem.replace(/[\s.]+$/, '');
  if (stem === '') return fallback;
  return DEVICE.test(stem.split('.')[0] ?? '') ? `_${stem}` : stem;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `2026-11-29 18-37-56` in local time: readable, sortable, and without the colons Windows refuses. */
export function localStamp(at: number): string {
  const d = new Date(at);
  return (
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}-${two(d.getMinutes())}-${two(d.getSeconds())}`
  );
}

/** The default name of an export of `label` (a batch or workflow name) made at `at`, with the format's suffix. */
export function labelledExportName(label: string, fileType: ExportFileType, at: number): string {
  return `${safeFileStem(label)} results ${localStamp(at)}${fileType === 'zip' ? '.zip' : '.json.gz'}`;
}

async function firstName<T extends { id: string; name: string }>(
  items: AsyncIterable<T>,
  id: string,
): Promise<string | undefined> {
  for await (const item of items) if (item.id === id) return item.name;
  return undefined;
}

/**
 * What an export covers, in words, for its file name: the batch's name for one batch, else the workflow's (with
 * the number of batches when several). Undefined when the platform does not say within a few seconds: naming
 * never holds an export up or fails it.
 */
export async function exportLabel(
  client: AlegionClient,
  workflowId: string,
  batchIds: readonly string[],
  waitMs = LABEL_WAIT_MS,
): Promise<string | undefined> {
  const lookup = async (): Promise<string | undefined> => {
    if (batchIds.length === 1) return (await client.getBatch(batchIds[0] as string)).name;
    const workflow = await firstName(client.listWorkflows({ pageSize: 100 }), workflowId);
    if (workflow === undefined || batchIds.length === 0) return workflow;
    return `${workflow} ${batchIds.length} batches`;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    return await Promise.race([lookup().catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
