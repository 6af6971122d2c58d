import { describe, expect, it } from 'vitest';
import { CliError, connectionFrom, EXIT_USAGE } from '../../../../main/host/cli-support.ts';
import { ALEGION_API_URL } from '../../../../common/alegion.ts';

describe('connectionFrom', () => {
  it('takes flags before the environment and defaults the URL to the platform', () => {
    const env = { ALEGION_API_KEY: 'env-key', ALEGION_USERNAME: 'env-user', ALEGION_PASSWORD: 'env-pass' };
    expect(connectionFrom({ username: 'flag-user' }, env)).toEqual({
      baseUrl: ALEGION_API_URL,
      apiKey: 'env-key',
      username: 'flag-user',
      password: 'env-pass',
    });
  });

  it('names every missing piece in one usage error, without echoing what was given', () => {
    const attempt = () => connectionFrom({ apiKey: 'secret-key-value' }, {});
    expect(attempt).toThrow(CliError);
    try {
      attempt();
    } catch (error) {
      const cliError = error as CliError;
      expect(cliError.exitCode).toBe(EXIT_USAGE);
      expect(cliError.message).toContain('username');
      expect(cliError.message).toContain('password');
      expect(cliError.message).not.toContain('API key');
      expect(cliError.message).not.toContain('secret-key-value');
    }
  });

  it('rejects a base URL that is not a URL', () => {
    expect(() =>
      connectionFrom({ apiUrl: 'not a url', apiKey: 'k', username: 'u', password: 'p' }, {}),
    ).toThrow(/is not a URL/);
  });
});
