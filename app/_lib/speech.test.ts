import { describe, expect, it } from 'vitest';
import { languageOfText, stripMarkdown, utterancePieces } from './speech.ts';

describe('spoken replies', () => {
  it('reads markdown as plain sentences', () => {
    const reply = [
      '## Created **gpu-trio**',
      '',
      '- 3 nodes on `aws`, see [the dashboard](/dashboard/mci/gpu-trio)',
      '- Endpoint: http://10.0.0.1:11434',
      '',
      '```',
      'ssh ubuntu@10.0.0.1',
      '```',
      '| node | status |',
      '| --- | --- |',
      '| seoul-1 | Running |',
    ].join('\n');
    const spoken = stripMarkdown(reply);
    expect(spoken).toContain('Created gpu-trio');
    expect(spoken).toContain('3 nodes on aws, see the dashboard');
    expect(spoken).toContain('seoul-1, Running');
    expect(spoken).not.toMatch(/[#*`|[\]]|http|ssh ubuntu|---/);
  });

  it('keeps snake_case and arithmetic, drops emphasis', () => {
    expect(stripMarkdown('_really_ use node_group_1, 2 * 3 = 6')).toBe('really use node_group_1, 2 * 3 = 6');
  });

  it('splits long replies into short utterances at sentence ends', () => {
    const sentence = 'This sentence is about sixty characters long, give or take. ';
    const pieces = utterancePieces(sentence.repeat(10).trim());
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(220);
    expect(pieces.join(' ')).toBe(sentence.repeat(10).trim());
  });

  it('speaks Korean replies in Korean whatever the speech setting', () => {
    expect(languageOfText('서울에 VM 2대를 만들었습니다. 비용은 $0.19/h 입니다.', 'en-US')).toBe('ko-KR');
    expect(languageOfText('Created 2 VMs in Seoul.', 'ko-KR')).toBe('en-US');
    expect(languageOfText('$0.19 / 12', 'ko-KR')).toBe('ko-KR');
  });
});
