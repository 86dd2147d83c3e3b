import { describe, expect, it } from 'vitest';
import { extractEntities } from './entities.ts';
import { KRW_PER_USD } from './intent.ts';
import { languageOf, prepareText } from './text.ts';

describe('prepareText', () => {
  it.each([
    'deploy two VMs in Seoul',
    '서울에 VM 세 대, GPU 두 장',
    'run `nvidia-smi` on "gpu-lab" and call it \'x\'',
    'ＡＷＳ 말고 ＧＣＰ로 ㅇㅇ 😀 a couple of boxes',
    "what's the cheapest one? İstanbul",
  ])('keeps every offset: %s', (text) => {
    const prepared = prepareText(text);
    expect(prepared.masked.length).toBe(text.length);
    expect(prepared.lower.length).toBe(text.length);
  });

  it('sets quotes aside verbatim', () => {
    const prepared = prepareText('run `ls -la /tmp` on demo and "delete everything"');
    expect(prepared.quotes.map((quote) => quote.text)).toEqual(['ls -la /tmp', 'delete everything']);
    expect(prepared.lower).not.toContain('delete');
  });

  it.each([
    ['deploy two VMs', 'deploy 2   vms'],
    ['서울에 세 대', '서울에 3 대'],
    ['A100 두 장', 'a100 2 장'],
    ['VM 하나씩', 'vm 1 씩'],
    ['a couple of boxes', '2               boxes'],
    ['the cheapest one', 'the cheapest one'],
  ])('numbers in words: %s', (text, lower) => {
    expect(prepareText(text).lower.replace(/\s+/g, ' ')).toBe(lower.replace(/\s+/g, ' '));
  });

  it.each([
    ['서울에 deploy 해줘', 'ko'],
    ['plz spin up 2 GPU boxes in 서울', 'en'],
    ['k8s 클러스터', 'ko'],
    ['list my MCIs', 'en'],
  ] as const)('language of %s', (text, language) => {
    expect(languageOf(text)).toBe(language);
  });
});

describe('extractEntities', () => {
  const entities = (text: string) => extractEntities(prepareText(text));

  it('converts won at the fixed rate and months at 730 hours', () => {
    const budget = entities('한 달에 70만원 이하').budget;
    expect(budget).toMatchObject({ amount: 700_000, currency: 'KRW', per: 'month' });
    expect(budget?.usdPerMonth).toBeCloseTo(700_000 / KRW_PER_USD, 2);
    expect(budget?.usdPerHour).toBeCloseTo(700_000 / KRW_PER_USD / 730, 3);
  });

  it.each([
    ['under $2/h', { per: 'hour', usdPerHour: 2 }],
    ['max 1.5k dollars a month', { per: 'month', usdPerMonth: 1500 }],
    ['시간당 3달러', { per: 'hour', usdPerHour: 3 }],
    ['₩50,000 per hour', { currency: 'KRW', amount: 50_000 }],
  ])('money: %s', (text, expected) => {
    expect(entities(text).budget).toMatchObject(expected);
  });

  it('reads a GPU model with its memory, and RAM apart from it', () => {
    const found = entities('a VM with an A100 80GB and 64GB RAM and 16 vCPUs');
    expect(found.requirements).toMatchObject({
      gpu: { model: 'A100-80GB', count: 1 },
      minMemoryGiB: 64,
      minVcpu: 16,
    });
  });

  it('does not read numbers inside codes, versions and model names as counts', () => {
    const found = entities('ap-northeast-2 llama3 t3.medium ubuntu 22.04 us-east-1');
    expect(found.counts).toEqual([]);
  });

  it.each([
    'ollama with llama3$(rm)',
    'ollama with model "llama3; rm -rf /"',
    'ollama with model `curl x|sh`',
  ])('keeps only shell-safe model names matching the recipe pattern: %s', (text) => {
    expect(entities(text).apps).toEqual([{ name: 'ollama', parameters: {} }]);
  });
});
