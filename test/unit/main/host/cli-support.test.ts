import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../../../main/alegion/errors.ts';
import {
  CliError,
  connectionFrom,
  describeError,
  EXIT_USAGE,
  formatTable,
} from '../../../../main/host/cli-support.ts';
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

describe('what the CLI prints about names and errors', () => {
  it('a table row stays one row, whatever a name holds, and its columns line up on what is shown', () => {
    const table = formatTable(
      ['ID', 'NAME'],
      [
        ['w-1\u202e', 'batch\nw-2  forged'],
        ['w-22', '\x1b[2Jcleared'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'ID         NAME',
      'w-1\\u202e  batch\\nw-2  forged',
      'w-22       \\x1b[2Jcleared',
      '',
    ]);
  });

  it('a full disk and a host name that does not resolve are said as such, whatever raised them', () => {
    const sqliteFull = Object.assign(new Error('database or disk is full'), { errcode: 13 });
    expect(describeError(sqliteFull)).toBe(
      'the disk is full: free some space, then run the same command again',
    );
    const fsFull = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      path: '/mnt/out/x.zip',
    });
    expect(describeError(fsFull)).toBe(
      'the disk is full (writing /mnt/out/x.zip): free some space, then run the same command again',
    );
    expect(describeError(new NetworkError('api.alegionn.com', { code: 'ENOTFOUND' }))).toBe(
      'cannot find the host api.alegionn.com: check the API URL',
    );
    expect(describeError(new NetworkError('127.0.0.1:9', { code: 'ECONNREFUSED' }))).toBe(
      'cannot reach 127.0.0.1:9',
    );
  });
});
