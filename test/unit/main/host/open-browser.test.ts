import { describe, expect, it } from 'vitest';
import { noBrowserReason, openInBrowser } from '../../../../main/host/open-browser.ts';

describe('noBrowserReason', () => {
  it('opens where a desktop is', () => {
    expect(noBrowserReason({ DISPLAY: ':0' }, 'linux')).toBeNull();
    expect(noBrowserReason({ WAYLAND_DISPLAY: 'wayland-0' }, 'freebsd')).toBeNull();
    expect(noBrowserReason({}, 'darwin')).toBeNull();
    expect(noBrowserReason({}, 'win32')).toBeNull();
  });
  it('does not open with BROWSER=none, under CI, or on Linux without a display', () => {
    expect(noBrowserReason({ DISPLAY: ':0', BROWSER: 'None ' }, 'linux')).toBe('BROWSER=none');
    expect(noBrowserReason({ CI: 'true' }, 'darwin')).toBe('running under CI');
    expect(noBrowserReason({}, 'linux')).toBe('no display');
  });
});

describe('openInBrowser', () => {
  const url = 'http://127.0.0.1:5000/?token=secret-token';

  it('launches the URL where a browser may open', async () => {
    const launched: string[] = [];
    const lines: string[] = [];
    const opened = await openInBrowser(url, {
      env: { DISPLAY: ':0' },
      platform: 'linux',
      launch: async (target) => launched.push(target),
      log: (line) => lines.push(line),
    });
    expect(opened).toBe(true);
    expect(launched).toEqual([url]);
    expect(lines).toEqual([]);
  });

  it('says why nothing opened, and never repeats the token of a failed launch', async () => {
    const lines: string[] = [];
    const skipped = await openInBrowser(url, {
      env: { BROWSER: 'none' },
      platform: 'win32',
      launch: async () => expect.unreachable('no launch with BROWSER=none'),
      log: (line) => lines.push(line),
    });
    expect(skipped).toBe(false);
    const failed = await openInBrowser(url, {
      env: {},
      platform: 'darwin',
      launch: async (target) => {
        throw new Error(`open ${target} failed`);
      },
      log: (line) => lines.push(line),
    });
    expect(failed).toBe(false);
    expect(lines[0]).toMatch(/BROWSER=none/);
    expect(lines[1]).toMatch(/Could not open the default browser/);
    expect(lines.join('\n')).not.toContain('secret-token');
  });
});
