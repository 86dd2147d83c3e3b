import type { RecipeInput } from '../schema.ts';

export const openWebui: RecipeInput = {
  name: 'open-webui',
  title: 'Open WebUI',
  description:
    'A ChatGPT-like web interface for Ollama and OpenAI-compatible APIs, in Docker, on port 3000. The first account created becomes the administrator: create it right away.',
  requirements: { minMemoryGiB: 4, arch: ['x86_64', 'arm64'] },
  parameters: [
    {
      name: 'ollamaUrl',
      description:
        'Ollama API URL, e.g. "http://10.0.1.5:11434"; empty uses an Ollama on the same VM (install the ollama app there too)',
      default: '',
      pattern: '(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._/-]*)?)?',
    },
  ],
  roles: [{ name: 'default', count: 'all' }],
  install: {
    scripts: {
      default: String.raw`s2a_ensure_docker
ollama_url='{{ollamaUrl}}'
if [ -z "$ollama_url" ]; then ollama_url=http://host.docker.internal:11434; fi
docker pull --quiet ghcr.io/open-webui/open-webui:main
docker rm -f open-webui >/dev/null 2>&1 || true
docker run -d --name open-webui --restart always -p 3000:8080 \
  --add-host=host.docker.internal:host-gateway \
  -e OLLAMA_BASE_URL="$ollama_url" \
  -v open-webui:/app/backend/data \
  ghcr.io/open-webui/open-webui:main >/dev/null
`,
    },
    estimatedSeconds: [120, 240],
    timeoutSeconds: 1800,
  },
  ports: [{ port: 3000, protocol: 'tcp', description: 'Open WebUI', public: true }],
  // The first start downloads embedding models before the web server answers.
  health: { http: { port: 3000, path: '/health', expectStatus: 200 }, timeoutSeconds: 600 },
  outputs: [{ name: 'url', description: 'Open WebUI in a browser', template: 'http://{{host}}:3000' }],
  diagnostics: 'docker ps -a --filter name=open-webui; docker logs --tail 80 open-webui',
};
