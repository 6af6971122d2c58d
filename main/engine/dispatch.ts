/**
 * The one way a host calls the engine on behalf of a renderer: the method name must be in the contract, the
 * arguments must parse with the method's zod tuple, every host path among them must pass the host's path check
 * (the headless host limits them to its roots), and failures come back as `{ code, message }`. Malformed input
 * never reaches the engine, and the engine's methods take what was parsed here (defaults applied): arguments are
 * parsed once, here, whether a host or an in-process caller (checkedApi) calls.
 */
import { METHOD_NAMES, methodArgs } from '../../common/api.ts';
import type { AlegionApi, ApiErrorPayload, MethodName, ParsedApi } from '../../common/api.ts';
import { EngineError, describeZodError, toApiError } from './errors.ts';
import { pathArguments } from './path-arguments.ts';

export type Envelope = { ok: true; value: unknown } | { ok: false; error: ApiErrorPayload };

/** A host's check of one path argument: throws (an EngineError with a sentence) when it is not allowed. */
export type PathCheck = (path: string) => Promise<unknown>;

const known = new Set<string>(METHOD_NAMES);

/** True when `name` is a method of the contract (own names only: no prototype tricks). */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && known.has(name);
}

/** Validates a call's arguments; returns the parsed tuple or the error payload. */
function parseArgs(
  method: MethodName,
  args: unknown,
): { ok: true; args: unknown[] } | { ok: false; error: ApiErrorPayload } {
  if (!Array.isArray(args))
    return { ok: false, error: { code: 'invalid-arguments', message: 'arguments must be a list' } };
  const parsed = methodArgs[method].safeParse(args);
  if (!parsed.success)
    return {
      ok: false,
      error: { code: 'invalid-arguments', message: `${method}: ${describeZodError(parsed.error)}` },
    };
  return { ok: true, args: parsed.data as unknown[] };
}

/** An implementation of the contract that also offers its methods taking parsed arguments (the engine). */
interface WithParsedMethods {
  readonly parsed: ParsedApi;
}

/** Validates (and, given `checkPath`, vets every path argument of) one call and runs it, never throwing. */
export async function dispatch(
  api: ParsedApi | WithParsedMethods,
  method: unknown,
  args: unknown,
  secrets: () => Iterable<string> = () => [],
  checkPath?: PathCheck,
): Promise<Envelope> {
  if (!isMethodName(method))
    return { ok: false, error: { code: 'unknown-method', message: 'unknown method' } };
  const parsed = parseArgs(method, args);
  if (!parsed.ok) return parsed;
  try {
    if (checkPath) {
      for (const path of pathArguments(methodArgs[method], parsed.args)) await checkPath(path);
    }
    // An engine's checked methods would parse the arguments again: its parsed ones take them as they are.
    const target: ParsedApi = 'parsed' in api ? api.parsed : api;
    const fn = target[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await fn.apply(target, parsed.args);
    return { ok: true, value: value ?? null };
  } catch (error) {
    return { ok: false, error: toApiError(error, secrets()) };
  }
}

/**
 * The contract for in-process callers (tests, tools) over the engine's parsed methods: each call's arguments are
 * parsed as dispatch parses them, and refused the same way (an EngineError with the same code and message).
 */
export function checkedApi(parsed: ParsedApi): AlegionApi {
  const api = {} as Record<MethodName, (...args: unknown[]) => Promise<unknown>>;
  for (const method of METHOD_NAMES) {
    const fn = parsed[method] as (...a: unknown[]) => Promise<unknown>;
    api[method] = async (...args: unknown[]) => {
      const checked = parseArgs(method, args);
      if (!checked.ok) throw new EngineError(checked.error.code, checked.error.message);
      return fn.apply(parsed, checked.args);
    };
  }
  return api as unknown as AlegionApi;
}
