import type { RecipeInput } from '../schema.ts';

export const ollama: RecipeInput = {
  name: 'ollama',
  title: 'Ollama',
  description:
    'Runs open LLMs (Llama, Qwen, Gemma, Mistral…) behind an HTTP API on port 11434, with the chosen model pulled. Uses NVIDIA GPUs when present (the official installer adds the driver), CPU otherwise. The API has no authentication: anyone who can reach port 11434 can use it.',
  requirements: { minMemoryGiB: 4, arch: ['x86_64', 'arm64'] },
  parameters: [
    {
      name: 'model',
      description: 'Model to pull from the Ollama library, e.g. "llama3.2:1b", "qwen2.5:7b", "gemma3:4b"',
      default: 'llama3.2:1b',
      pattern: '[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*(:[A-Za-z0-9._-]+)?',
      isModel: true,
    },
  ],
  roles: [{ name: 'default', count: 'all' }],
  install: {
    scripts: {
      default: `if ! command -v ollama >/dev/null 2>&1; then
  s2a_download https://ollama.com/install.sh /tmp/s2a-ollama-install.sh
  sh /tmp/s2a-ollama-install.sh
fi
# The installer binds 127.0.0.1; serve on every interface so the endpoint is reachable.
mkdir -p /etc/systemd/system/ollama.service.d
cat >/etc/systemd/system/ollama.service.d/s2a.conf <<'UNIT'
[Service]
Environment="OLLAMA_HOST=0.0.0.0:11434"
UNIT
systemctl daemon-reload
systemctl enable ollama >/dev/null 2>&1
systemctl restart ollama
s2a_wait_http http://127.0.0.1:11434/ 120
OLLAMA_HOST=127.0.0.1:11434 ollama pull {{model}}
`,
    },
    estimatedSeconds: [45, 120],
    timeoutSeconds: 3600,
  },
  ports: [{ port: 11434, protocol: 'tcp', description: 'Ollama HTTP API', public: true }],
  health: { http: { port: 11434, path: '/', expectStatus: 200 }, timeoutSeconds: 180 },
  outputs: [
    { name: 'api', description: 'Ollama API base URL', template: 'http://{{host}}:11434' },
    { name: 'model', description: 'The model pulled', template: '{{model}}' },
  ],
  diagnostics: 'systemctl status ollama --no-pager; journalctl -u ollama -n 50 --no-pager; ollama list',
};
