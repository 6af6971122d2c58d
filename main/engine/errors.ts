/**
 * Errors as they leave the engine: a stable code and a sentence, never a stack, a path into node_modules or a
 * secret. Anything unexpected becomes `internal` (its detail stays in diagnostics, redacted).
 */
import { ZodError } from 'zod';
import type { ApiErrorPayload } from '../../common/api.ts';
import { AlegionError } from '../alegion/errors.ts';
import { ExportError } from '../exports/export-errors.ts';
import { JournalBusyError } from '../uploads/journal/journal.ts';

/** An error the engine raises on purpose, with a code the renderer can branch on. */
export class EngineError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** Replaces every occurrence of each secret (4+ characters) with a mask. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('••••');
  }
  // Signed URLs carry their authority in the query string.
  return out.replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1?…');
}

/** Summarises a zod failure in one line: the first issue, with where it is. */
export function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid arguments';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `invalid arguments: ${where}${issue.message}`;
}

/** Maps anything thrown to the payload that crosses to the renderer. */
export function toApiError(error: unknown, secrets: Iterable<string> = []): ApiErrorPayload {
  if (error instanceof EngineError || error instanceof AlegionError || error instanceof ExportError) {
    return { code: error.code, message: redact(error.message, secrets) };
  }
  if (error instanceof JournalBusyError)
    return { code: 'queue-busy', message: redact(error.message, secrets) };
  if (error instanceof ZodError)
    return { code: 'invalid-arguments', message: redact(describeZodError(error), secrets) };
  if (isFsError(error)) return { code: 'file-system', message: redact(fsMessage(error), secrets) };
  return { code: 'internal', message: 'unexpected error in the app; see Diagnostics' };
}

interface FsError extends Error {
  code: string;
  path?: string;
}

function isFsError(error: unknown): error is FsError {
  return (
    error instanceof Error &&
    typeof (error as FsError).code === 'string' &&
    /^E[A-Z]+$/.test((error as FsError).code)
  );
}

function fsMessage(error: FsError): string {
  const where = error.path ? ` (${error.path})` : '';
  switch (error.code) {
    case 'ENOENT':
      return `no such file or folder${where}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied${where}`;
    case 'ENOSPC':
      return `the disk is full${where}`;
    case 'ENOTDIR':
      return `not a folder${where}`;
    default:
      return `file system error ${error.code}${where}`;
  }
}
