import type { RecipeInput } from '../schema.ts';

export const vllm: RecipeInput = {
  name: 'vllm',
  title: 'vLLM',
  description:
    'Serves a Hugging Face model through an OpenAI-compatible API on port 8000 with vLLM. Needs an NVIDIA GPU with at least 16 GiB; installs the NVIDIA server driver when the image has none. Requests need the generated API key (a sensitive output).',
  requirements: { gpu: { minMemoryGiB: 16 }, minMemoryGiB: 16, minVcpu: 4, arch: ['x86_64'] },
  parameters: [
    {
      name: 'model',
      description:
        'Hugging Face model id, e.g. "Qwen/Qwen2.5-0.5B-Instruct" (gated models need a token and are not supported here)',
      default: 'Qwen/Qwen2.5-0.5B-Instruct',
      pattern: '[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?',
      isModel: true,
    },
  ],
  roles: [{ name: 'default', count: 'all' }],
  install: {
    scripts: {
      default: String.raw`s2a_ensure_nvidia_driver
s2a_apt_install python3-venv python3-pip python3-dev build-essential openssl
if [ ! -x /opt/vllm/bin/vllm ]; then
  python3 -m venv /opt/vllm
  /opt/vllm/bin/pip install --quiet --upgrade pip
  /opt/vllm/bin/pip install --quiet vllm
fi
install -d -m 0700 /etc/s2a
if [ ! -s /etc/s2a/vllm-api-key ]; then (umask 077 && openssl rand -hex 24 >/etc/s2a/vllm-api-key); fi
api_key=$(cat /etc/s2a/vllm-api-key)
(umask 077 && printf 'VLLM_API_KEY=%s\nHF_HOME=/var/lib/vllm\n' "$api_key" >/etc/s2a/vllm.env)
install -d /var/lib/vllm
cat >/etc/systemd/system/vllm.service <<'UNIT'
[Unit]
Description=vLLM OpenAI-compatible server (s2a)
After=network-online.target
Wants=network-online.target

[Service]
EnvironmentFile=/etc/s2a/vllm.env
ExecStart=/opt/vllm/bin/vllm serve {{model}} --host 0.0.0.0 --port 8000
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable vllm >/dev/null 2>&1
systemctl restart vllm
s2a_output apiKey "$api_key"
`,
    },
    estimatedSeconds: [240, 600],
    timeoutSeconds: 3600,
  },
  ports: [{ port: 8000, protocol: 'tcp', description: 'vLLM OpenAI-compatible API', public: true }],
  // The model downloads and loads after the service starts: /health answers once it is ready.
  health: { http: { port: 8000, path: '/health', expectStatus: 200 }, timeoutSeconds: 1800 },
  scriptOutputs: [
    {
      name: 'apiKey',
      role: 'default',
      description: 'Bearer token the API requires (Authorization: Bearer …)',
      pattern: '[0-9a-f]{48}',
      example: '3f9c2b7e5d1a4c8f9e0b6a2d7c4e1f8a5b3d9c0e7f2a6b1d',
      sensitive: true,
    },
  ],
  outputs: [
    { name: 'api', description: 'OpenAI-compatible base URL', template: 'http://{{host}}:8000/v1' },
    { name: 'model', description: 'The model served', template: '{{model}}' },
    {
      name: 'apiKey',
      description: 'API key for the Authorization header',
      template: '{{apiKey}}',
      sensitive: true,
    },
  ],
  diagnostics: 'systemctl status vllm --no-pager; journalctl -u vllm -n 80 --no-pager; nvidia-smi',
};
