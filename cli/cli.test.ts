import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './testing/run-cli.ts';

let home: string;

function s2a(...args: string[]) {
  return runCli(home, args, 120_000);
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 's2a-cli-'));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('the s2a command', () => {
  it('tour shows the sim: a VM goes from Creating to Running and is cleaned up', () => {
    const { code, stdout, stderr } = s2a('tour');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`State lives in ${home}`);
    expect(stdout).toMatch(/\d{3} regions across 10 providers/);
    expect(stdout).toContain('… Creating');
    expect(stdout).toContain('… Running');
    expect(stdout).toContain('nothing left behind');
  });

  it('creates, lists, shows and deletes a VM across separate invocations', () => {
    const created = s2a(
      'vm',
      'create',
      '--region',
      'gcp+asia-northeast3',
      '--spec',
      'e2-medium',
      '--name',
      'web-1',
      '--json',
    );
    expect(created.code).toBe(0);
    const vm = JSON.parse(created.stdout) as { id: string; status: string };
    expect(vm.status).toBe('Creating');
    // The generated private key is kept for ssh, readable by the owner only.
    const [keyFile] = readdirSync(join(home, 'keys'));
    expect(keyFile).toMatch(/^gcp-asia-northeast3-s2a-cli\.pem$/);
    expect(statSync(join(home, 'keys', keyFile as string)).mode & 0o777).toBe(0o600);
    const listed = JSON.parse(s2a('vm', 'list', '--json').stdout) as { id: string }[];
    expect(listed.map((item) => item.id)).toContain(vm.id);
    const deleted = s2a('vm', 'delete', vm.id, '--json');
    expect(deleted.code).toBe(0);
    expect((JSON.parse(deleted.stdout) as { status: string }).status).toBe('Terminated');
    expect(JSON.parse(s2a('vm', 'list', '--json').stdout)).toEqual([]);
    expect(readdirSync(join(home, 'keys'))).toEqual([]);
  });

  it.each([
    [['specs', '--region', 'nowhere'], /--region must look like aws\+ap-northeast-2/],
    [['vm', 'create', '--region', 'aws+ap-northeast-2'], /--spec is required/],
    [['vm', 'show', 'not-an-id'], /expected a VM id/],
    [['teleport'], /unknown command "teleport"/],
  ])('answers bad input %j with what to do next', (args, message) => {
    const { code, stderr } = s2a(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('reports a missing VM as a typed driver error', () => {
    const { code, stderr } = s2a('vm', 'show', 'aws+ap-northeast-2+i-00000000000000000');
    expect(code).toBe(1);
    expect(stderr).toMatch(/NotFoundError \(NOT_FOUND\)/);
  });
});
