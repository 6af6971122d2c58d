/**
 * The folders a headless host may touch, and the one check every path argument goes through. A path is resolved
 * through symlinks (its deepest existing part by realpath, the rest as written) before it is compared, so neither a
 * link nor `..` leads out of a root. A path outside the roots is refused with the same sentence whether or not it
 * exists, so the answer tells nothing about what lies outside.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve, sep } from 'node:path';
import { EngineError } from './errors.ts';

/** Resolves the roots once (missing ones are dropped, duplicates merged). */
export async function resolveRoots(roots: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const root of roots) {
    try {
      out.push(await realpath(resolve(root)));
    } catch {
      // A root that does not exist cannot be used; it is simply not offered.
    }
  }
  return [...new Set(out)];
}

/** True when `path` (already resolved) is `root` or inside it. */
function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The root that holds `real` (a resolved path), or undefined. */
export function rootOf(real: string, roots: readonly string[]): string | undefined {
  return roots.find((root) => within(real, root));
}

/**
 * Where `path` really leads: realpath of the longest prefix that exists (as the OS walks it, so `link/..` is the
 * link target's parent), with the parts that do not exist yet appended. Those cannot be links, being absent.
 */
async function resolveThroughLinks(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length === 0 ? real : resolve(real, ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = dirname(current);
      // Only a missing part may be skipped over; any other failure (a loop, no permission) refuses the path.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw error;
      missing.push(basename(current));
      current = parent;
    }
  }
}

/** The sentence for a path outside the roots; the same whether or not the path exists. */
function outsideRootsError(path: string, roots: readonly string[]): EngineError {
  const allowed = roots.length > 0 ? roots.join(', ') : 'none';
  return new EngineError(
    'outside-roots',
    `"${path}" is outside the folders this host allows (${allowed}); start "serve" with --root to allow another`,
  );
}

/**
 * Checks one path argument against the roots; resolves to the real path it leads to, or throws `outside-roots`
 * (or `not-absolute` for a relative path, which would depend on the host's working folder).
 */
export async function checkPathAllowed(path: string, roots: readonly string[]): Promise<string> {
  if (!isAbsolute(path)) {
    throw new EngineError(
      'not-absolute',
      `"${path}" is not an absolute path: give the full path on the host`,
    );
  }
  let real: string;
  try {
    real = await resolveThroughLinks(path);
  } catch {
    throw outsideRootsError(path, roots);
  }
  if (!rootOf(real, roots)) throw outsideRootsError(path, roots);
  return real;
}
