/**
 * Offline planning speed: sentence → PlanView (or the search answer), with the MCP tools it calls
 * (listMCIs, searchSpecs, reviewMCI…) over the in-memory transport on the fast sim; nothing is
 * executed. Warm: the catalog index is built and every sentence planned once before timing.
 *
 *   npm run bench:plan            (S2A_BENCH_ROUNDS=5 for more rounds)
 *
 * The home is kept in the temp folder so a second run skips the index build.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMcpTestServer } from '../../mcp-server/testing/mcp-test-kit.ts';
import { connectInProcess } from '../tool-client.ts';
import type { AgentEvent, ConversationState } from '../types.ts';
import { OfflinePlanner } from './planner.ts';

const SENTENCES = [
  // English deploys
  'deploy 3 VMs with a GPU, one each in Seoul, Tokyo and Frankfurt, cheapest, and install ollama',
  'deploy 2 VMs with 4 vCPU and 16 GB memory in Seoul',
  'spin up 4 nodes with 8 vCPU in Tokyo and Osaka',
  'create a VM with an A100 near Frankfurt and install vllm',
  'launch 3 servers in Seoul on AWS and install nginx',
  'deploy 2 GPU VMs in Seoul or Tokyo, fastest',
  'I need 5 VMs with 2 vCPU anywhere, cheapest',
  'deploy 3 in Seoul and 2 in Singapore with 4 vCPU, not on Azure',
  'create a k3s cluster of 3 nodes with 4 vCPU in Frankfurt',
  'deploy jupyter on a T4 GPU VM in Virginia',
  'deploy 2 arm64 VMs with 4 vCPU in Ireland',
  'deploy ollama on a GPU VM in Korea under $2 per hour',
  // Korean deploys
  '서울, 도쿄, 프랑크푸르트에 GPU VM 한 대씩, 제일 싼 걸로 띄우고 ollama 설치해줘',
  '서울에 8코어 VM 2대 만들어줘',
  '도쿄에 GPU 서버 하나 띄우고 vllm 설치해줘',
  '싱가포르에 4코어 16기가 VM 3대 배포해줘',
  '서울에 nginx 서버 2대 띄워줘',
  '프랑크푸르트에 A100 VM 한 대 띄워줘',
  '한국에 GPU VM 2대, 시간당 3달러 이내로 띄워줘',
  '서울이나 도쿄에 제일 가까운 4코어 VM 한 대 띄워줘',
  // English searches and estimates
  'cheapest A100 near Frankfurt',
  'find the cheapest GPU VM near Seoul',
  'compare 8 vCPU VMs in Tokyo on AWS and GCP',
  'what are the fastest H100 specs?',
  'how much would 4 VMs with 8 vCPU in Tokyo cost per month?',
  'show me arm64 specs with 4 vCPU in Europe',
  // Korean searches and estimates
  '서울 근처에서 제일 싼 GPU 찾아줘',
  '프랑크푸르트 A100 가격 알려줘',
  '도쿄에 8코어 VM 4대 한 달에 얼마야?',
  '유럽에서 H100 스펙 비교해줘',
];

const ROUNDS = Number(process.env.S2A_BENCH_ROUNDS ?? 3);

function conversation(id: string): ConversationState {
  const now = new Date().toISOString();
  return { id, title: id, createdAt: now, updatedAt: now, turns: [] };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

const server = await openMcpTestServer({ home: join(tmpdir(), 's2a-plan-bench') });
const tools = await connectInProcess(server.services);
const planner = new OfflinePlanner();

/** Plans one sentence in a fresh conversation; returns ms and what it ended with. */
async function plan(sentence: string, id: string): Promise<{ ms: number; ending: string; calls: number }> {
  const state = conversation(id);
  const started = performance.now();
  let ending = 'none';
  let calls = 0;
  for await (const event of planner.respond({
    conversation: state,
    message: { text: sentence },
    tools,
  }) as AsyncIterable<AgentEvent>) {
    if (event.type === 'tool-call') {
      calls++;
      if (
        !['listMCIs', 'searchSpecs', 'recommendSpecs', 'estimateCost', 'reviewMCI', 'listApps'].includes(
          event.toolName,
        )
      )
        throw new Error(`planning called ${event.toolName}: nothing may be executed`);
    }
    if (event.type === 'approval-request') ending = 'plan';
    else if (event.type === 'question') ending = 'question';
    else if (event.type === 'text' && ending === 'none')
      ending = `answer "${event.text.split('\n')[0]?.slice(0, 30)}…"`;
  }
  return { ms: performance.now() - started, ending, calls };
}

const warmStart = performance.now();
await tools.callTool('searchSpecs', { limit: 1 });
console.log(`catalog ready in ${((performance.now() - warmStart) / 1000).toFixed(1)} s`);
const endings = new Map<string, string>();
for (const [index, sentence] of SENTENCES.entries()) {
  const result = await plan(sentence, `warm-${index}`);
  endings.set(sentence, `${result.ending}, ${result.calls} calls`);
}

const times: number[] = [];
const perSentence = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [index, sentence] of SENTENCES.entries()) {
    const { ms } = await plan(sentence, `round-${round}-${index}`);
    times.push(ms);
    perSentence.set(sentence, [...(perSentence.get(sentence) ?? []), ms]);
  }
}
times.sort((a, b) => a - b);

console.log(`\nOffline planning, ${SENTENCES.length} sentences × ${ROUNDS} rounds, warm:`);
for (const [sentence, values] of perSentence) {
  const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  console.log(`  ${median.toFixed(1).padStart(7)} ms  ${endings.get(sentence)?.padEnd(48)} ${sentence}`);
}
const median = percentile(times, 0.5);
const p95 = percentile(times, 0.95);
console.log(
  `\nmedian ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${(times.at(-1) ?? 0).toFixed(1)} ms (target: median < 50 ms)`,
);

await tools.close();
await server.close();
