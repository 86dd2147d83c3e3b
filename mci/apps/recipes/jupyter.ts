import type { RecipeInput } from '../schema.ts';

export const jupyter: RecipeInput = {
  name: 'jupyter',
  title: 'JupyterLab',
  description:
    'JupyterLab in a Python virtual environment, run by systemd as the "jupyter" user on port 8888, protected by a generated token (a sensitive output). Notebooks live in /srv/jupyter.',
  requirements: { minMemoryGiB: 1 },
  parameters: [],
  roles: [{ name: 'default', count: 'all' }],
  install: {
    scripts: {
      default: String.raw`s2a_apt_install python3-venv python3-pip openssl
id jupyter >/dev/null 2>&1 || useradd --system --create-home --home-dir /srv/jupyter --shell /bin/bash jupyter
if [ ! -x /opt/jupyter/bin/jupyter-lab ]; then
  python3 -m venv /opt/jupyter
  /opt/jupyter/bin/pip install --quiet --upgrade pip
  /opt/jupyter/bin/pip install --quiet jupyterlab
fi
install -d -m 0700 /etc/s2a
if [ ! -s /etc/s2a/jupyter-token ]; then (umask 077 && openssl rand -hex 24 >/etc/s2a/jupyter-token); fi
token=$(cat /etc/s2a/jupyter-token)
(umask 077 && printf 'JUPYTER_TOKEN=%s\n' "$token" >/etc/s2a/jupyter.env)
cat >/etc/systemd/system/jupyter.service <<'UNIT'
[Unit]
Description=JupyterLab (s2a)
After=network-online.target
Wants=network-online.target

[Service]
User=jupyter
WorkingDirectory=/srv/jupyter
EnvironmentFile=/etc/s2a/jupyter.env
ExecStart=/opt/jupyter/bin/jupyter-lab --ip=0.0.0.0 --port=8888 --no-browser
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable jupyter >/dev/null 2>&1
systemctl restart jupyter
s2a_wait_http http://127.0.0.1:8888/api 120
s2a_output token "$token"
`,
    },
    estimatedSeconds: [60, 150],
    timeoutSeconds: 1800,
  },
  ports: [{ port: 8888, protocol: 'tcp', description: 'JupyterLab', public: true }],
  health: { http: { port: 8888, path: '/api', expectStatus: 200 }, timeoutSeconds: 180 },
  scriptOutputs: [
    {
      name: 'token',
      role: 'default',
      description: 'Login token of JupyterLab',
      pattern: '[0-9a-f]{48}',
      example: '3f9c2b7e5d1a4c8f9e0b6a2d7c4e1f8a5b3d9c0e7f2a6b1d',
      sensitive: true,
    },
  ],
  outputs: [
    { name: 'url', description: 'JupyterLab (asks for the token)', template: 'http://{{host}}:8888/lab' },
    { name: 'token', description: 'Login token', template: '{{token}}', sensitive: true },
    {
      name: 'loginUrl',
      description: 'JupyterLab, logged in',
      template: 'http://{{host}}:8888/lab?token={{token}}',
      sensitive: true,
    },
  ],
  diagnostics: 'systemctl status jupyter --no-pager; journalctl -u jupyter -n 50 --no-pager',
};
