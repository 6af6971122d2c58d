/**
 * "Save manifest" in the batch view: every file this app sent into the batch, with its asset id, record id and the
 * record's labeling status, as CSV or JSONL. The desktop app writes it into the download folder and offers Show in
 * folder; the browser host downloads it by a short-lived signed link.
 */
import { useState } from 'react';
import type { SaveManifestArgs } from '../../common/api.ts';
import { errorMessage, plural } from '../format.ts';
import { actions, useApp } from '../store/index.ts';
import type { SavedManifest } from '../store/batch-history-slice.ts';

const FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'jsonl', label: 'JSONL' },
] as const;

/** What happened to the last save, in words. */
function savedText({ file, downloaded }: SavedManifest): string {
  const lines = plural(file.rows, 'file');
  return downloaded ? `Downloading ${file.name} (${lines}).` : `Saved ${lines} to ${file.path}.`;
}

/** The manifest section of the batch view. */
export function BatchManifest({
  workflowId,
  batchId,
  batchName,
}: {
  workflowId: string;
  batchId: string;
  batchName: string;
}) {
  const nativeDialogs = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  const [busy, setBusy] = useState<SaveManifestArgs['format'] | null>(null);
  const [result, setResult] = useState<{ saved: SavedManifest } | { error: string } | null>(null);
  const save = async (format: SaveManifestArgs['format']): Promise<void> => {
    setBusy(format);
    setResult(null);
    try {
      setResult({ saved: await actions().saveBatchManifest({ workflowId, batchId, batchName, format }) });
    } catch (error) {
      setResult({ error: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="stack" aria-labelledby="manifest-title">
      <h2 id="manifest-title">Manifest</h2>
      <p className="small muted">
        Every file this app sent into the batch: its path, size and MD5, asset id, record id, when it was
        sent, and its record’s labeling status now.
      </p>
      <div className="row wrap">
        {FORMATS.map(({ format, label }) => (
          <button key={format} type="button" onClick={() => void save(format)} disabled={busy !== null}>
            {busy === format ? 'Saving…' : `Save manifest as ${label}`}
          </button>
        ))}
        {result && 'saved' in result && !result.saved.downloaded && nativeDialogs && (
          <button type="button" onClick={() => void actions().showInFolder(result.saved.file.path)}>
            Show in folder
          </button>
        )}
      </div>
      {result && (
        <p
          className={`inline-result ${'saved' in result ? 'ok' : 'error'}`}
          role={'saved' in result ? 'status' : 'alert'}
          data-testid="manifest-result"
        >
          {'saved' in result ? savedText(result.saved) : result.error}
        </p>
      )}
    </section>
  );
}
