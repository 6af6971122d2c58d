/**
 * electron-builder.yml, checked offline against the JSON schema that electron-builder itself ships
 * (app-builder-lib/scheme.json), plus the settings the product depends on: targets, fuses, no native rebuild.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const builderLib = dirname(require.resolve('app-builder-lib/package.json'));
// The YAML parser electron-builder uses to read this very file.
const yaml = createRequire(join(builderLib, 'package.json'))('js-yaml') as { load(text: string): unknown };
const schema = JSON.parse(readFileSync(join(builderLib, 'scheme.json'), 'utf8')) as Record<string, unknown>;
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s schema', () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check catches a mistake (it is not vacuous)', () => {
    expect(validate({ ...config, npmRebuild: 'no' })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: 'off' } })).toBe(false);
  });

  it('builds AppImage and deb, NSIS and dmg, with app id, name and icon', () => {
    expect(config.appId).toBe('com.alegion.uploader');
    expect(config.productName).toBe('Alegion Uploader');
    expect(config.icon).toBe('build/icon.png');
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect((config.mac as { target: string[] }).target).toEqual(['dmg']);
    expect(String(config.artifactName)).toMatch(/\$\{version\}/);
  });

  it('rebuilds no native modules and ships no sources, maps or tests', () => {
    expect(config.npmRebuild).toBe(false);
    const files = config.files as string[];
    expect(files).toEqual(expect.arrayContaining(['out/**', '!**/*.map']));
    expect(files.some((f) => f.startsWith('!') && f.includes('test'))).toBe(true);
  });

  it('flips the fuses: no run-as-node, no NODE_OPTIONS or inspect, asar only and integrity-checked', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('feeds electron-updater from a generic URL: a placeholder that never resolves until replaced', () => {
    const publish = config.publish as { provider: string; url: string };
    expect(publish.provider).toBe('generic');
    const url = new URL(publish.url);
    expect(url.protocol).toBe('https:');
    // RFC 2606: .invalid cannot resolve, so an unreplaced placeholder fails its check instead of reaching someone.
    expect(url.hostname.endsWith('.invalid')).toBe(true);
    expect(readFileSync('README.md', 'utf8')).toContain(publish.url);
    expect(validate({ ...config, publish: { provider: 'generic' } })).toBe(false);
  });
});
