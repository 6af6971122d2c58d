/**
 * JSON that keeps numbers exactly as written. `JSON.parse` turns `12345678901234567890` into a double and
 * `JSON.stringify` then writes `12345678901234567000`: a changed value in a customer's record. Parsing with a
 * reviver that sees each number's source text (Node 22+, V8's JSON.parse source text access) keeps any number whose
 * text a double would not reproduce as a `JSON.rawJSON` value, which `JSON.stringify` writes back verbatim.
 */

interface RawJsonApi {
  rawJSON(text: string): object;
  isRawJSON(value: unknown): boolean;
}

const rawJsonApi = JSON as unknown as RawJsonApi;

/** Parses JSON text; a number whose text a double does not reproduce stays exactly as written. */
export function parseExactJson(text: string): unknown {
  return JSON.parse(text, (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined && JSON.stringify(value) !== context.source
      ? rawJsonApi.rawJSON(context.source)
      : value,
  ) as unknown;
}

/** True for a number kept as its source text by `parseExactJson`. */
export function isExactNumber(value: unknown): boolean {
  return rawJsonApi.isRawJSON(value);
}

/** JSON text for a value whose keys are sorted at every level: equal content gives equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key: string, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner) || isExactNumber(inner))
      return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}
