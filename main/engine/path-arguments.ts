/**
 * Finds every host path in a call's parsed arguments by walking the method's zod schema beside the value: a value
 * is a path when the schema that parsed it is registered in `localPathSchemas` (common/api.ts). Keying on the
 * schema rather than on a list of methods means a new method that takes a `LocalPath` is covered without edits.
 */
import type { z } from 'zod';
import { localPathSchemas } from '../../common/api.ts';

type Def = Record<string, unknown> & { type: string };

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as unknown as Def;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(schema: z.core.$ZodType, value: unknown, out: Set<string>): void {
  if (value === undefined || value === null) return;
  if (localPathSchemas.get(schema)?.localPath) {
    if (typeof value === 'string') out.add(value);
    return;
  }
  const def = defOf(schema);
  const inner = (key: string): z.core.$ZodType => def[key] as z.core.$ZodType;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      walk(inner('innerType'), value, out);
      return;
    case 'pipe':
      walk(inner('in'), value, out);
      walk(inner('out'), value, out);
      return;
    case 'lazy':
      walk((def.getter as () => z.core.$ZodType)(), value, out);
      return;
    case 'object':
      if (!isPlainObject(value)) return;
      for (const [key, field] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
        walk(field, value[key], out);
      }
      return;
    case 'array':
      if (Array.isArray(value)) for (const item of value) walk(inner('element'), item, out);
      return;
    case 'tuple': {
      if (!Array.isArray(value)) return;
      const items = def.items as z.core.$ZodType[];
      value.forEach((item, index) => {
        const itemSchema = items[index] ?? (def.rest as z.core.$ZodType | null | undefined);
        if (itemSchema) walk(itemSchema, item, out);
      });
      return;
    }
    case 'record':
      if (isPlainObject(value)) for (const item of Object.values(value)) walk(inner('valueType'), item, out);
      return;
    case 'union':
      // The branch that parsed the value is not recorded: every branch that accepts it is searched.
      for (const option of def.options as z.core.$ZodType[]) {
        if ((option as z.ZodType).safeParse(value).success) walk(option, value, out);
      }
      return;
    case 'intersection':
      walk(inner('left'), value, out);
      walk(inner('right'), value, out);
      return;
    default:
      return;
  }
}

/** Every host path in `value` as parsed by `schema` (each once, in the order found). */
export function pathArguments(schema: z.core.$ZodType, value: unknown): string[] {
  const out = new Set<string>();
  walk(schema, value, out);
  return [...out];
}
