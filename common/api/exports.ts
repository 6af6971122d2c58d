/** Exports and auto-sync of batch results. */
import { z } from 'zod';
import { LocalPath, Uuid } from './shared.ts';

export const ExportArgs = z.object({
  workflowId: Uuid,
  batchIds: z.array(Uuid).max(1000).default([]),
  format: z.enum(['zip', 'json']).default('zip'),
  sinceLast: z.boolean().default(false),
  minCreatedAt: z.iso.datetime({ offset: true }).optional(),
  maxCreatedAt: z.iso.datetime({ offset: true }).optional(),
  destination: LocalPath.optional(),
  extract: z.boolean().default(false),
});
export type ExportArgs = z.input<typeof ExportArgs>;

export type ExportJobStatus =
  'creating' | 'generating' | 'downloading' | 'extracting' | 'done' | 'failed' | 'canceled';

export interface ExportJobView {
  id: string;
  workflowId: string;
  batchIds: string[];
  filename: string;
  format: 'zip' | 'json';
  status: ExportJobStatus;
  recordResultCount: number | null;
  bytes: number;
  totalBytes: number | null;
  throughput: number;
  etaSeconds: number | null;
  path: string | null;
  extractedTo: string | null;
  error: string | null;
  createdAt: string;
}

/** An export's archive (no `file`), or a file of its extracted folder by its path inside that folder. */
export const ExportFileArgs = z.object({
  jobId: z.string().min(1).max(100),
  file: z.string().min(1).max(4000).optional(),
});
export type ExportFileArgs = z.infer<typeof ExportFileArgs>;

export const AutoSyncArgs = z.object({ workflowId: Uuid, batchId: Uuid, enabled: z.boolean() });
export type AutoSyncArgs = z.infer<typeof AutoSyncArgs>;
