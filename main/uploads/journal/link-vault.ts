/**
 * Signed upload URLs are secrets (anyone holding one can write the asset), yet a URL that is still valid should be
 * used again after a restart. The journal stores them sealed with AES-256-GCM under a key kept in a separate file
 * readable only by the user (0600), so a copied journal alone reveals nothing.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LINK_KEY_FILE = 'upload-links.key';

/** Seals and opens signed URLs for the journal. */
export interface LinkVault {
  seal(url: string): string;
  /** The URL, or null when the sealed text cannot be opened (a different key, tampering). */
  open(sealed: string): string | null;
}

/** The vault of a state directory: its key is created on first use with mode 0600. */
export function openLinkVault(stateDir: string): LinkVault {
  const keyPath = join(stateDir, LINK_KEY_FILE);
  let key: Buffer;
  try {
    key = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error('bad key length');
  } catch {
    key = randomBytes(32);
    writeFileSync(keyPath, key.toString('base64'), { mode: 0o600 });
  }
  return linkVaultWithKey(key);
}

/** A vault over a given 32-byte key. */
export function linkVaultWithKey(raw: Buffer): LinkVault {
  // One key object for every URL: building it from the raw bytes on each call costs more than the cipher.
  const key = createSecretKey(raw);
  return {
    seal(url) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(url, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      try {
        const raw = Buffer.from(sealed, 'base64');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
