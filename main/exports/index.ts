/** The exports module as the hosts see it: the export service, its outcomes and errors, and progress wording. */
export { createExportService } from './export-service.ts';
export { emptyMessage } from './export-runner.ts';
export type { ExportOutcome, ExportRunEvent } from './export-runner.ts';
export { ExportError } from './export-errors.ts';
export { renamedSentence } from './safe-extract.ts';
export { etaText, formatProgressLine, speedText, TransferAverage } from './progress-text.ts';
export type { ProgressReading } from './progress-text.ts';
