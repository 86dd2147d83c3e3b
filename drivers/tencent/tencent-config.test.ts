import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '../spec/index.ts';
import { httpProfileOf, resolveTencentCredentials, TencentConnectionSchema } from './tencent-config.ts';

describe('Tencent Cloud credentials', () => {
  const folders: string[] = [];
  const home = () => {
    const folder = mkdtempSync(join(tmpdir(), 's2a-tencent-config-'));
    folders.push(folder);
    return folder;
  };
  const writeCredentials = (folder: string, text: string) => {
    mkdirSync(join(folder, '.tencentcloud'));
    writeFileSync(join(folder, '.tencentcloud', 'credentials'), text);
  };
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('uses the connection credentials first, then the environment, then ~/.tencentcloud/credentials', () => {
    const folder = home();
    writeCredentials(folder, '[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n');
    const environment = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-key' };
    const explicit = { credentials: { secretId: 'AKIDconn', secretKey: 'conn-key' } };
    expect(resolveTencentCredentials(explicit, environment, folder).secretId).toBe('AKIDconn');
    expect(resolveTencentCredentials({}, environment, folder)).toMatchObject({
      secretId: 'AKIDenv',
      source: 'TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY',
    });
    expect(resolveTencentCredentials({}, {}, folder)).toMatchObject({
      secretId: 'AKIDfile',
      secretKey: 'file-key',
    });
  });

  it('reads only the [default] section of the credentials file, and a session token', () => {
    const folder = home();
    writeCredentials(
      folder,
      '[other]\nsecret_id = AKIDother\nsecret_key = other\n\n[default]\nsecret_id=AKIDdefault\nsecret_key=k\ntoken=t\n',
    );
    expect(resolveTencentCredentials({}, {}, folder)).toMatchObject({ secretId: 'AKIDdefault', token: 't' });
  });

  it.each([
    [
      'no credentials anywhere',
      {},
      {},
      ['TENCENTCLOUD_SECRET_ID', '~/.tencentcloud/credentials', 'S2A_CONNECTIONS'],
    ],
    ['only TENCENTCLOUD_SECRET_ID', {}, { TENCENTCLOUD_SECRET_ID: 'AKIDhalf' }, ['TENCENTCLOUD_SECRET_KEY']],
    [
      'only TENCENTCLOUD_SECRET_KEY',
      {},
      { TENCENTCLOUD_SECRET_KEY: 'half-secret' },
      ['TENCENTCLOUD_SECRET_ID'],
    ],
    [
      'an unreadable credentialsFile',
      { credentialsFile: '/nonexistent/tencent.ini' },
      {},
      ['/nonexistent/tencent.ini'],
    ],
  ] as const)('%s is an AuthError naming what to set', (_case, connection, environment, named) => {
    let caught: unknown;
    try {
      resolveTencentCredentials(connection, environment, home());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuthError);
    for (const name of named) expect((caught as AuthError).message).toContain(name);
    expect((caught as AuthError).message).not.toContain('half-secret');
  });

  it('a credentials file without secret_id and secret_key under [default] is an AuthError naming the file', () => {
    const folder = home();
    writeCredentials(folder, '[work]\nsecret_id = AKIDwork\nsecret_key = work\n');
    expect(() => resolveTencentCredentials({}, {}, folder)).toThrow(
      /credentials has no secret_id and secret_key under \[default\]/,
    );
  });

  it('a connection parses with defaults, and endpoints become the SDK http profile', () => {
    const connection = TencentConnectionSchema.parse({ driver: 'tencent', region: 'ap-tokyo' });
    expect(connection).toMatchObject({ currency: 'USD', requestTimeoutSeconds: 30 });
    expect(httpProfileOf('http://127.0.0.1:8080')).toEqual({
      endpoint: '127.0.0.1:8080',
      protocol: 'http://',
    });
    expect(httpProfileOf(undefined)).toBeUndefined();
    expect(
      TencentConnectionSchema.safeParse({ driver: 'tencent', endpoints: { cvm: 'not a url' } }).success,
    ).toBe(false);
  });
});
