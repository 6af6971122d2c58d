/**
 * An export's buttons for getting its files: in the desktop app "Show in folder"; in the browser host, where the
 * files sit on the server, "Download" for the archive and, for an extracted export, its files one by one.
 */
import { useState } from 'react';
import type { ExportJobView } from '../../common/api.ts';
import { actions, useApp } from '../store/index.ts';

function ExtractedFiles({ job }: { job: ExportJobView }) {
  const [files, setFiles] = useState<string[] | null>(null);
  const toggle = async (): Promise<void> => {
    if (files) return setFiles(null);
    setFiles(await actions().listExportFiles(job.id));
  };
  return (
    <>
      <button type="button" className="small" aria-expanded={files !== null} onClick={() => void toggle()}>
        Files…
      </button>
      {files && (
        <ul className="export-files small" aria-label={`Files of ${job.filename}`}>
          {files.length === 0 && <li className="muted">No files.</li>}
          {files.map((file) => (
            <li key={file}>
              <button
                type="button"
                className="ghost small"
                onClick={() => void actions().downloadExportFile(job.id, file)}
              >
                Download {file}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The buttons for a finished export's files. */
export function ExportDownloads({ job }: { job: ExportJobView & { path: string } }) {
  const native = useApp((s) => s.hostInfo?.nativeDialogs ?? false);
  if (native) {
    return (
      <button
        type="button"
        className="small"
        onClick={() => void actions().showInFolder(job.extractedTo ?? job.path)}
      >
        Show in folder
      </button>
    );
  }
  return (
    <>
      <button type="button" className="small" onClick={() => void actions().downloadExportFile(job.id)}>
        Download
      </button>
      {job.extractedTo && <ExtractedFiles job={job} />}
    </>
  );
}
