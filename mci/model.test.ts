import { describe, expect, it } from 'vitest';
import { aggregateStatus, CreateMciRequestSchema } from './model.ts';

const nodes = (...statuses: string[]) => statuses.map((status) => ({ status }));

describe('aggregateStatus', () => {
  it.each([
    [[], 'Empty:0 (0/0)'],
    [['Running', 'Running', 'Running', 'Running', 'Running'], 'Running:5 (R:5/5)'],
    [['Running', 'Running', 'Running', 'Creating', 'Creating'], 'Partial-Running:3 (R:3/5 C:2/5)'],
    [['Creating', 'Creating', 'Running'], 'Partial-Creating:2 (R:1/3 C:2/3)'],
    [['Suspended', 'Suspended'], 'Suspended:2 (S:2/2)'],
    [['Running', 'Suspended'], 'Partial-Running:1 (R:1/2 S:1/2)'],
    [['Terminated', 'Failed', 'Failed'], 'Partial-Failed:2 (T:1/3 F:2/3)'],
    [['Pending', 'Running'], 'Partial-Running:1 (R:1/2 P:1/2)'],
    [['Weird'], 'Undefined:1 (U:1/1)'],
  ])('%j → %s', (statuses, expected) => {
    expect(aggregateStatus(nodes(...(statuses as string[])))).toBe(expected);
  });
});

describe('CreateMciRequestSchema', () => {
  const group = { name: 'web', specId: 'aws+ap-northeast-2+t3.medium', size: 2 };

  it('defaults onFailure to failover', () => {
    const parsed = CreateMciRequestSchema.parse({ name: 'demo', nodeGroups: [group] });
    expect(parsed.onFailure).toBe('failover');
  });

  it.each([
    ['a name with shell metacharacters', { name: 'demo;rm -rf', nodeGroups: [group] }, 'shell'],
    ['an upper-case name', { name: 'Demo', nodeGroups: [group] }, 'lower-case'],
    ['a name over 40 characters', { name: 'a'.repeat(41), nodeGroups: [group] }, '40'],
    ['size 0', { name: 'demo', nodeGroups: [{ ...group, size: 0 }] }, 'at least 1'],
    ['size 10,000', { name: 'demo', nodeGroups: [{ ...group, size: 10_000 }] }, 'at most 1000'],
    ['duplicate group names', { name: 'demo', nodeGroups: [group, group] }, 'used twice'],
    ['no groups', { name: 'demo', nodeGroups: [] }, 'at least one'],
    [
      'more than 2000 nodes in total',
      {
        name: 'demo',
        nodeGroups: [0, 1, 2].map((index) => ({ ...group, name: `g${index}`, size: 1000 })),
      },
      'at most 2000',
    ],
  ])('refuses %s', (_label, request, fragment) => {
    const result = CreateMciRequestSchema.safeParse(request);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(fragment);
  });
});
