// Prompts: ready-made requests a person can pick in an MCP client.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

function userMessage(text: string) {
  return { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] };
}

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'deploy-llm',
    {
      title: 'Deploy an LLM',
      description: 'Serve an open model (ollama or vLLM) on the cheapest fitting GPU VMs near a place.',
      argsSchema: {
        model: z.string().describe('Model to serve, e.g. "llama3.1:8b" or "mistral"'),
        place: z.string().describe('Where the users are, e.g. "Seoul" or "Frankfurt"'),
        nodes: z.string().optional().describe('How many VMs; default 1'),
      },
    },
    ({ model, place, nodes }) =>
      userMessage(
        `Deploy ${model} with ollama on ${nodes ?? '1'} GPU VM(s) near ${place}, the cheapest that fit the model. ` +
          'Use recommendSpecs (gpu, near the place, cost first), then reviewMCI and show me the plan with $/h and $/month. ' +
          'After I approve, createMCI with wait, installApp ollama with the model, and give me the endpoints and how to delete it.',
      ),
  );
  server.registerPrompt(
    'cheapest-gpu-near',
    {
      title: 'Cheapest GPU near a city',
      description: 'Compare the cheapest GPU specs near a place across all providers.',
      argsSchema: {
        place: z.string().describe('A city, country or area, e.g. "Tokyo", "서울", "Europe"'),
        gpu: z.string().optional().describe('GPU model, e.g. "A100", "L4"; any when omitted'),
      },
    },
    ({ place, gpu }) =>
      userMessage(
        `Find the 10 cheapest ${gpu ?? 'GPU'} VM specs near ${place} across all providers with searchSpecs (sort cost). ` +
          'Show a table: provider, region, spec, GPU, vCPU, memory, $/h, distance. Do not create anything.',
      ),
  );
  server.registerPrompt(
    'tear-down-everything',
    {
      title: 'Tear everything down',
      description: 'List every MCI with its cost, then delete all of them after one confirmation.',
      argsSchema: {},
    },
    () =>
      userMessage(
        'List all my MCIs with listMCIs and show each one with its status and $/h. Then ask me once to confirm deleting all of them; ' +
          'if I agree, call deleteMCI for each with confirm: true and wait, and finally show that nothing is left.',
      ),
  );
}
