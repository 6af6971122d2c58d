/**
 * The add dialog's "Create at most N records" field as typed: empty means no limit; anything else is a whole
 * number of at least 1, or a sentence that says what is wrong with it and what to type instead.
 */
import { MAX_RECORD_LIMIT } from '../common/api.ts';
import { formatCount } from './format.ts';

/** What the field holds: no limit, a limit, or why it is not one. */
type RecordLimitText = { limit: number | null } | { problem: string };

const INSTEAD = 'Type 1 or more, or leave it empty for no limit.';

/** Reads the field (see the module comment). Digits may be grouped by commas, as in 1,000. */
export function readRecordLimit(text: string): RecordLimitText {
  const typed = text.trim();
  if (typed === '') return { limit: null };
  const digits = /^\d{1,3}(,\d{3})+$/.test(typed) ? typed.replaceAll(',', '') : typed;
  const n = Number(digits);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(digits) || !Number.isFinite(n))
    return { problem: `“${typed}” is not a number. ${INSTEAD}` };
  if (n < 0) return { problem: `The limit can’t be negative. ${INSTEAD}` };
  if (n === 0) return { problem: `A limit of 0 would create nothing. ${INSTEAD}` };
  if (!Number.isInteger(n)) return { problem: `The limit must be a whole number of records. ${INSTEAD}` };
  if (n > MAX_RECORD_LIMIT)
    return {
      problem: `The limit can be at most ${formatCount(MAX_RECORD_LIMIT)}. Leave it empty for no limit.`,
    };
  return { limit: n };
}
