/**
 * The folder browser stays inside its roots (links included) and tells nothing of what lies outside them; the event
 * hub isolates a failing listener.
 */
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { browse, resolveRoots } from '../../../../main/engine/browse.ts';
import { createEventHub } from '../../../../main/engine/events.ts';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'alegion-browse-'));
  root = join(base, 'allowed');
  await mkdir(join(root, 'photos'), { recursive: true });
  await writeFile(join(root, 'photos', 'a.jpg'), 'x');
  await writeFile(join(root, 'b.txt'), 'xyz');
  await mkdir(join(base, 'private'));
  await symlink(join(base, 'private'), join(root, 'escape'));
  await writeFile(join(base, 'private', 'big.bin'), Buffer.alloc(4321));
  await symlink(join(base, 'private', 'big.bin'), join(root, 'big-link'));
  await symlink(join(root, 'b.txt'), join(root, 'inner-link'));
});

afterAll(async () => rm(base, { recursive: true, force: true }));

describe('browse', () => {
  it('lists the roots, then a folder with folders first and its parent', async () => {
    const roots = await resolveRoots([root, join(base, 'missing')]);
    expect(roots).toHaveLength(1);
    expect((await browse(roots, null)).entries.map((e) => e.path)).toEqual(roots);
    const listing = await browse(roots, roots[0]!);
    expect(listing.entries.map((e) => [e.name, e.isDirectory, e.size])).toEqual([
      ['photos', true, 0],
      ['b.txt', false, 3],
      // Links out of the roots look like dangling links: neither the kind nor the size of the target shows.
      ['big-link', false, 0],
      ['escape', false, 0],
      // A link to a file inside the roots is followed.
      ['inner-link', false, 3],
    ]);
    expect(listing.parent).toBeNull();
    expect((await browse(roots, join(roots[0]!, 'photos'))).parent).toBe(roots[0]);
  });

  it('refuses folders outside the roots, by path, by .. and through a symlink', async () => {
    const roots = await resolveRoots([root]);
    await expect(browse(roots, base)).rejects.toMatchObject({ code: 'outside-roots' });
    await expect(browse(roots, join(roots[0]!, '..', 'private'))).rejects.toMatchObject({
      code: 'outside-roots',
    });
    await expect(browse(roots, join(roots[0]!, 'escape'))).rejects.toMatchObject({ code: 'outside-roots' });
    await expect(browse(roots, join(roots[0]!, 'missing'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('answers alike for a path outside the roots whether it exists or not', async () => {
    const roots = await resolveRoots([root]);
    const answer = async (path: string) => {
      const error = (await browse(roots, path).catch((e: unknown) => e)) as { code: string; message: string };
      return { code: error.code, message: error.message.replace(path, '<path>') };
    };
    const existing = await answer(join(base, 'private'));
    expect(existing.code).toBe('outside-roots');
    expect(await answer(join(base, 'no-such-folder'))).toEqual(existing);
    expect(await answer(`${roots[0]}-sibling`)).toEqual(existing);
    expect(await answer(join(roots[0]!, 'escape', 'no-such-folder'))).toEqual(existing);
  });
});

describe('event hub', () => {
  it('delivers to named and catch-all listeners, isolates a throwing one, and unsubscribes', () => {
    const errors: unknown[] = [];
    const hub = createEventHub((error) => errors.push(error));
    const named = vi.fn();
    const any = vi.fn();
    hub.on('queueChanged', () => {
      throw new Error('listener bug');
    });
    const off = hub.on('queueChanged', named);
    hub.onAny(any);
    hub.emit('queueChanged', { reason: 'x' });
    expect(named).toHaveBeenCalledWith({ reason: 'x' });
    expect(any).toHaveBeenCalledWith('queueChanged', { reason: 'x' });
    expect(errors).toHaveLength(1);
    off();
    hub.emit('queueChanged', { reason: 'y' });
    expect(named).toHaveBeenCalledTimes(1);
  });
});
