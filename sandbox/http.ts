/**
 * Small HTTP helpers shared by the routes: JSON replies, the platform's error shapes, bounded JSON bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/** Largest JSON request body accepted (bigger gets `413`). 1,000 import records fit many times over. */
export const MAX_JSON_BODY_BYTES = 8 * 1024 * 1024;

/** An error that becomes an HTTP reply: JSON `{message}` (or no body when `message` is null). */
export class HttpError extends Error {
  readonly status: number;
  readonly body: string | null;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string | null, headers: Record<string, string> = {}) {
    super(message ?? `HTTP ${status}`);
    this.name = 'HttpError';
    this.status = status;
    this.body = message === null ? null : JSON.stringify({ message });
    this.headers = headers;
  }
}

/** The platform's Spring-style message for a path value that is not a UUID. */
export function invalidUuidMessage(value: string): string {
  return (
    "Failed to convert value of type 'java.lang.String' to required type 'java.util.UUID'; " +
    `nested exception is java.lang.IllegalArgumentException: Invalid UUID string: ${value}`
  );
}

/** `404` with the platform's JSON message. */
export function notFound(what: string, id: string): HttpError {
  return new HttpError(404, `${what} not found: ${id}`);
}

/** Sends a JSON body with the given status. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends a status with an empty body. */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': 0, ...headers });
  res.end();
}

/** Sends an HttpError. */
export function sendError(res: ServerResponse, error: HttpError): void {
  if (error.body === null) {
    sendEmpty(res, error.status, error.headers);
    return;
  }
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(error.body),
    ...error.headers,
  });
  res.end(error.body);
}

/** Reads a JSON body of at most `limit` bytes: `413` when bigger, `400` when it does not parse. */
export async function readJson(
  req: IncomingMessage,
  limit = MAX_JSON_BODY_BYTES,
  parseText: (text: string) => unknown = JSON.parse,
): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpError(413, `Request body is larger than ${limit} bytes`, { connection: 'close' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new HttpError(413, `Request body is larger than ${limit} bytes`, { connection: 'close' });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'Required request body is missing');
  try {
    return parseText(text);
  } catch (error) {
    throw new HttpError(400, `JSON parse error: ${(error as Error).message}`);
  }
}

/** Validates a parsed body with a zod schema: `422` naming each offending field. */
export function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
  throw new HttpError(422, `Validation failed: ${details}`);
}

/** Parses an ISO date-time query or body value; `422` when it is not one. */
export function parseInstant(name: string, value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new HttpError(422, `${name} is not an ISO 8601 date-time: ${value}`);
  return ms;
}
