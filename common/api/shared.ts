/** The schemas every part of the contract builds on: platform ids, short names, local paths and item ids. */
import { z } from 'zod';
import { UUID_PATTERN } from '../alegion.ts';

/** A platform id: a UUID. A malformed one is refused with a message naming it. */
export const Uuid = z.string().regex(UUID_PATTERN, { message: 'not a valid id (expected a UUID)' });
export const ShortText = z.string().trim().min(1).max(200);
/**
 * Every schema that carries a path on the host's file system. The headless host checks each value parsed by one of
 * these (or by a schema derived from one: zod's registries follow `.refine`/`.describe` clones) against the folders
 * it allows, so a new method that takes a `LocalPath` is limited to the roots without further code.
 */
export const localPathSchemas = z.registry<{ localPath: true }>();
/** A path on the host's file system (a file or folder to add, a destination, a folder to browse). */
export const LocalPath = z.string().min(1).max(4096).register(localPathSchemas, { localPath: true });
export const ItemIds = z.array(z.number().int().nonnegative()).max(100_000).optional();
