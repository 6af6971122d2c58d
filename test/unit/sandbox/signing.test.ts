import { describe, expect, it, vi, afterEach } from 'vitest';
import { accessDeniedXml, checkSignedUrl, signUrl } from '../../../sandbox/signing.ts';

const key = Buffer.alloc(32, 1);
const url = (text: string) => new URL(text);

afterEach(() => vi.useRealTimers());

describe('signed URLs', () => {
  it('accepts its own URL for its scope only', () => {
    const signed = url(signUrl(key, 'http://127.0.0.1:1', 'PUT', '/tenant-assets/sandbox/a', 60));
    expect(checkSignedUrl(key, 'PUT', signed)).toBeNull();
    expect(checkSignedUrl(key, 'GET', signed)).toBe('invalid');
    expect(checkSignedUrl(Buffer.alloc(32, 2), 'PUT', signed)).toBe('invalid');
  });

  it('refuses altered paths, expiries, signatures and key-pair ids', () => {
    const text = signUrl(key, 'http://h', 'PUT', '/tenant-assets/sandbox/a', 60);
    expect(checkSignedUrl(key, 'PUT', url(text.replace('/a?', '/b?')))).toBe('invalid');
    expect(checkSignedUrl(key, 'PUT', url(text.replace(/Expires=\d+/, 'Expires=9999999999')))).toBe(
      'invalid',
    );
    expect(checkSignedUrl(key, 'PUT', url(text.replace('Signature=', 'Signature=x')))).toBe('invalid');
    expect(checkSignedUrl(key, 'PUT', url(text.replace('Key-Pair-Id=SANDBOX', 'Key-Pair-Id=OTHER')))).toBe(
      'invalid',
    );
    expect(checkSignedUrl(key, 'PUT', url('http://h/tenant-assets/sandbox/a'))).toBe('invalid');
  });

  it('reports expiry once the TTL has passed', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const signed = url(signUrl(key, 'http://h', 'GET', '/record-result-exports/e/f.zip', 10));
    vi.setSystemTime(new Date('2026-01-01T00:00:09Z'));
    expect(checkSignedUrl(key, 'GET', signed)).toBeNull();
    vi.setSystemTime(new Date('2026-01-01T00:00:10Z'));
    expect(checkSignedUrl(key, 'GET', signed)).toBe('expired');
  });

  it('answers refusals as S3 XML AccessDenied', () => {
    expect(accessDeniedXml('expired')).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired/);
    expect(accessDeniedXml('invalid')).toMatch(/<Code>AccessDenied<\/Code>/);
  });
});
