import { describe, expect, it } from 'vitest';
import {
  assetNameFor,
  externalIdOf,
  metadataWithId,
  recordExternalId,
} from '../../../../main/uploads/asset-identity.ts';
import { linkVaultWithKey } from '../../../../main/uploads/link-vault.ts';

describe('stable identities', () => {
  it('names an asset after the file, the journal and the item, the same every time', () => {
    const name = assetNameFor('1234abcd-0000-4000-8000-000000000000', 42, '/photos/cat picture.jpg');
    expect(name).toBe('cat picture~1234abcd-42.jpg');
    expect(assetNameFor('1234abcd-0000-4000-8000-000000000000', 42, '/photos/cat picture.jpg')).toBe(name);
    expect(assetNameFor('1234abcd-0000-4000-8000-000000000000', 43, '/photos/cat picture.jpg')).not.toBe(
      name,
    );
  });

  it('keeps the external id in metadata when the user gave none, and beside their metadata when they did', () => {
    const id = recordExternalId('1234abcd-0000', 3, 17);
    expect(id).toBe('au:1234abcd:3:17');
    expect(metadataWithId(id, undefined)).toBe(id);
    const wrapped = metadataWithId(id, 'customer-row-9');
    expect(JSON.parse(wrapped)).toEqual({ uploaderId: id, metadata: 'customer-row-9' });
    expect(externalIdOf(id)).toBe(id);
    expect(externalIdOf(wrapped)).toBe(id);
    expect(externalIdOf('someone else')).toBeNull();
    expect(externalIdOf('{"not":"ours"}')).toBeNull();
    expect(externalIdOf(null)).toBeNull();
  });
});

describe('link vault', () => {
  it('seals signed URLs so the journal never holds them in plain text, and refuses another key', () => {
    const url = 'http://127.0.0.1:4010/storage/abc?Signature=secret&Expires=1';
    const vault = linkVaultWithKey(Buffer.alloc(32, 7));
    const sealed = vault.seal(url);
    expect(sealed).not.toContain('secret');
    expect(vault.open(sealed)).toBe(url);
    expect(linkVaultWithKey(Buffer.alloc(32, 8)).open(sealed)).toBeNull();
    expect(vault.open('garbage')).toBeNull();
  });
});
