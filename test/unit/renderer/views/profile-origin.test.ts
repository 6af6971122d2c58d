/** The profile form asks for the secrets again exactly when the API URL moves to another origin. */
import { describe, expect, it } from 'vitest';
import { NEW_ORIGIN_NOTE, needsSecretsAgain } from '../../../../renderer/views/profile-origin.ts';

const saved = { apiUrl: 'https://api.acme.example/v1' };

describe('needsSecretsAgain', () => {
  it('is false for a new profile and for the same origin, whatever the path or case', () => {
    expect(needsSecretsAgain(null, 'https://elsewhere.example/')).toBe(false);
    expect(needsSecretsAgain(saved, 'https://api.acme.example/v2')).toBe(false);
    expect(needsSecretsAgain(saved, '  https://API.ACME.example:443/v1 ')).toBe(false);
  });

  it('is true for another host, scheme or port', () => {
    expect(needsSecretsAgain(saved, 'https://api.acme.example.evil.test/v1')).toBe(true);
    expect(needsSecretsAgain(saved, 'http://api.acme.example/v1')).toBe(true);
    expect(needsSecretsAgain(saved, 'https://api.acme.example:8443/v1')).toBe(true);
  });

  it('waits for a URL that parses before it says anything', () => {
    expect(needsSecretsAgain(saved, 'https://')).toBe(false);
  });

  it('says plainly what to do and why', () => {
    expect(NEW_ORIGIN_NOTE).toMatch(/enter the API key and password again/);
  });
});
