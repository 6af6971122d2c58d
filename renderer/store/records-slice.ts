/**
 * Importing a records file (JSON, JSONL or CSV of input records): the user names the file and the batch, the
 * engine reads it and says what an import would do (rows, encoding and separator used, rows imported into that
 * batch before, the first bad line), and only then does anything get sent.
 */
import type { RecordsDelimiter, RecordsPlan, UploadTarget } from '../../common/api.ts';
import { errorMessage, plural } from '../format.ts';
import { showQueuedInto } from './after-queued.ts';
import type { SliceCreator } from './types.ts';

type RecordsStatus = 'closed' | 'editing' | 'planning' | 'planned' | 'importing';

/** How to read the file: an encoding label ('' = detect) and a separator ('' = detect). */
export interface RecordsReadChoice {
  encoding: string;
  delimiter: RecordsDelimiter | '';
}

export interface RecordsSlice {
  recordsStatus: RecordsStatus;
  /** The plan for the file, target and reading choice it was made for; null until checked. */
  recordsPlan: { plan: RecordsPlan; path: string; target: UploadTarget; read: RecordsReadChoice } | null;
  recordsError: string | null;
  openRecords: () => void;
  closeRecords: () => void;
  /** Reads and checks the file against the target; nothing is sent. */
  planRecords: (path: string, target: UploadTarget, read: RecordsReadChoice) => Promise<void>;
  /** Forgets the plan (the file, batch or reading choice changed). */
  clearRecordsPlan: () => void;
  /** The native file chooser (where the host has one): the path chosen, or null. */
  chooseRecordsFile: () => Promise<string | null>;
  /** Imports the planned file; `reimport` sends the rows imported before again too. */
  importRecords: (reimport: boolean) => Promise<boolean>;
}

function readArgs(read: RecordsReadChoice): { encoding?: string; delimiter?: RecordsDelimiter } {
  return {
    ...(read.encoding ? { encoding: read.encoding } : {}),
    ...(read.delimiter ? { delimiter: read.delimiter } : {}),
  };
}

/** Creates the records slice. */
export const createRecordsSlice: SliceCreator<RecordsSlice> = (set, get, { bridge }) => ({
  recordsStatus: 'closed',
  recordsPlan: null,
  recordsError: null,

  openRecords: () => set({ recordsStatus: 'editing', recordsPlan: null, recordsError: null }),
  closeRecords: () => set({ recordsStatus: 'closed', recordsPlan: null, recordsError: null }),
  clearRecordsPlan: () => {
    if (get().recordsStatus === 'planned') set({ recordsStatus: 'editing', recordsPlan: null });
  },

  planRecords: async (path, target, read) => {
    set({ recordsStatus: 'planning', recordsPlan: null, recordsError: null });
    try {
      const plan = await bridge.planRecordsFile({ path, target, ...readArgs(read) });
      if (get().recordsStatus !== 'planning') return;
      set({ recordsStatus: 'planned', recordsPlan: { plan, path, target, read } });
    } catch (error) {
      if (get().recordsStatus !== 'planning') return;
      set({ recordsStatus: 'editing', recordsError: errorMessage(error) });
    }
  },

  chooseRecordsFile: async () => {
    try {
      return (await bridge.chooseFiles())[0] ?? null;
    } catch (error) {
      get().pushNotice('error', errorMessage(error));
      return null;
    }
  },

  importRecords: async (reimport) => {
    const planned = get().recordsPlan;
    if (!planned || planned.plan.errors.length > 0) return false;
    const { path, target, read } = planned;
    set({ recordsStatus: 'importing', recordsError: null });
    try {
      const result = await bridge.addRecordsFile({ path, target, reimport, ...readArgs(read) });
      if (result.errors.length > 0) {
        const first = result.errors[0];
        set({
          recordsStatus: 'planned',
          recordsError: first ? `Line ${first.line}: ${first.message}` : 'The file has problems.',
        });
        return false;
      }
      const before = result.alreadyImported
        ? `; ${plural(result.alreadyImported, 'record')} imported before left out`
        : '';
      get().pushNotice('info', `Queued ${plural(result.queued, 'record')} for import${before}.`);
      set({ recordsStatus: 'closed', recordsPlan: null });
      await showQueuedInto(get, target);
      return true;
    } catch (error) {
      set({ recordsStatus: 'planned', recordsError: errorMessage(error) });
      return false;
    }
  },
});
