import type { RecipeInput } from '../schema.ts';

/** Fixed Ray ports, so security groups can name them (Ray picks random ones otherwise). */
const RAY_PORT_FLAGS =
  '--node-manager-port=6380 --object-manager-port=6381 --min-worker-port=10002 --max-worker-port=10999 --dashboard-agent-listen-port=52365 --dashboard-agent-grpc-port=52366 --metrics-export-port=52367 --runtime-env-agent-port=52368';

function rayScript(start: string): string {
  return `s2a_apt_install python3-venv python3-pip
if [ "$(/opt/ray/bin/ray --version 2>/dev/null | awk '{print $3}')" != "{{version}}" ]; then
  python3 -m venv /opt/ray
  /opt/ray/bin/pip install --quiet --upgrade pip
  /opt/ray/bin/pip install --quiet "ray[default]=={{version}}"
fi
cat >/etc/systemd/system/ray.service <<'UNIT'
[Unit]
Description=Ray (s2a)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/opt/ray/bin/ray start --block ${start} ${RAY_PORT_FLAGS}
ExecStop=/opt/ray/bin/ray stop
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable ray >/dev/null 2>&1
systemctl restart ray
`;
}

export const ray: RecipeInput = {
  name: 'ray',
  title: 'Ray cluster',
  description:
    'A Ray cluster: one head node (GCS on 6379, dashboard on 8265) and every other node a worker joining the head by private IP, so all nodes must share one private network (one provider and region). The dashboard and client ports run code for anyone who reaches them: they stay private; reach them through an SSH tunnel.',
  requirements: { minMemoryGiB: 4, minVcpu: 2, arch: ['x86_64', 'arm64'] },
  parameters: [
    {
      name: 'version',
      description: 'Ray version, the same on every node, e.g. "2.44.1"',
      default: '2.44.1',
      pattern: '[0-9]+\\.[0-9]+\\.[0-9]+',
    },
  ],
  roles: [
    { name: 'head', count: 'one' },
    { name: 'worker', count: 'rest' },
  ],
  sameNetwork: true,
  install: {
    scripts: {
      head: `${rayScript(
        '--head --port=6379 --node-ip-address={{privateIp}} --dashboard-host=0.0.0.0 --dashboard-port=8265 --ray-client-server-port=10001',
      )}s2a_wait_http http://127.0.0.1:8265/ 180
`,
      worker:
        rayScript('--address={{head.address}}:6379 --node-ip-address={{privateIp}}') +
        `for attempt in $(seq 1 60); do
  if /opt/ray/bin/python - 2>/dev/null <<'PY' | grep -qx '{{privateIp}}'; then exit 0; fi
import ray
ray.init(address="{{head.address}}:6379", logging_level="ERROR")
for node in ray.nodes():
    if node["Alive"]:
        print(node["NodeManagerAddress"])
PY
  sleep 3
done
s2a_fail 7 "this worker did not join the Ray head at {{head.address}}:6379 (60 checks, 3 s apart)"
`,
    },
    estimatedSeconds: [90, 180],
    timeoutSeconds: 1800,
  },
  ports: [
    {
      port: 6379,
      protocol: 'tcp',
      description: 'Ray GCS (workers join here)',
      public: false,
      roles: ['head'],
    },
    { port: 8265, protocol: 'tcp', description: 'Ray dashboard and job API', public: false, roles: ['head'] },
    { port: 10001, protocol: 'tcp', description: 'Ray client server', public: false, roles: ['head'] },
    { port: 6380, toPort: 6381, protocol: 'tcp', description: 'Ray node and object managers', public: false },
    { port: 10002, toPort: 10999, protocol: 'tcp', description: 'Ray worker processes', public: false },
    { port: 52365, toPort: 52368, protocol: 'tcp', description: 'Ray agents and metrics', public: false },
  ],
  // The head's script waits for the dashboard; workers check that the head lists them.
  health: null,
  outputs: [
    {
      name: 'address',
      description: 'Ray address for ray.init / ray start',
      template: '{{head.privateIp}}:6379',
    },
    {
      name: 'dashboard',
      description: 'Ray dashboard (private; use ssh -L 8265:127.0.0.1:8265 to the head)',
      template: 'http://{{head.privateIp}}:8265',
      roles: ['head'],
    },
  ],
  diagnostics: 'systemctl status ray --no-pager; /opt/ray/bin/ray status',
};
