import type { RecipeInput } from '../schema.ts';

export const k3s: RecipeInput = {
  name: 'k3s',
  title: 'k3s (Kubernetes)',
  description:
    "A k3s Kubernetes cluster: one server (API on 6443) and every other node an agent joining it with the server token. Flannel runs over WireGuard between the nodes' external addresses, so nodes may sit in different clouds.",
  requirements: { minMemoryGiB: 2, arch: ['x86_64', 'arm64'] },
  parameters: [
    {
      name: 'channel',
      description: 'k3s release channel ("stable", "latest") or minor version, e.g. "v1.31"',
      default: 'stable',
      pattern: 'stable|latest|v[0-9]+\\.[0-9]+',
    },
  ],
  roles: [
    { name: 'server', count: 'one' },
    { name: 'agent', count: 'rest' },
  ],
  install: {
    scripts: {
      server: String.raw`s2a_download https://get.k3s.io /tmp/s2a-k3s-install.sh
INSTALL_K3S_CHANNEL='{{channel}}' \
  INSTALL_K3S_EXEC='server --node-external-ip={{publicIp}} --tls-san={{publicIp}} --flannel-backend=wireguard-native --flannel-external-ip' \
  sh /tmp/s2a-k3s-install.sh
for attempt in $(seq 1 90); do
  if [ -s /var/lib/rancher/k3s/server/node-token ] && k3s kubectl get nodes >/dev/null 2>&1; then break; fi
  sleep 2
done
[ -s /var/lib/rancher/k3s/server/node-token ] || s2a_fail 7 "k3s did not write its node token within 180 s"
s2a_output token "$(cat /var/lib/rancher/k3s/server/node-token)"
`,
      agent: String.raw`s2a_download https://get.k3s.io /tmp/s2a-k3s-install.sh
INSTALL_K3S_CHANNEL='{{channel}}' \
  K3S_URL='https://{{server.address}}:6443' \
  K3S_TOKEN='{{server.token}}' \
  INSTALL_K3S_EXEC='agent --node-external-ip={{publicIp}}' \
  sh /tmp/s2a-k3s-install.sh
systemctl is-active --quiet k3s-agent || s2a_fail 7 "the k3s agent is not running; see journalctl -u k3s-agent"
`,
    },
    estimatedSeconds: [40, 90],
    timeoutSeconds: 1200,
  },
  ports: [
    { port: 6443, protocol: 'tcp', description: 'Kubernetes API', public: true, roles: ['server'] },
    { port: 10250, protocol: 'tcp', description: 'kubelet metrics and logs', public: false },
    { port: 51820, protocol: 'udp', description: 'Flannel WireGuard (IPv4)', public: false },
  ],
  health: { tcp: { port: 6443 }, roles: ['server'], timeoutSeconds: 180 },
  scriptOutputs: [
    {
      name: 'token',
      role: 'server',
      description: 'Token agents join the cluster with',
      pattern: '[A-Za-z0-9:._-]+',
      example:
        'K107d3e9a1f4c8b2e6d0a5f3c9b7e1d4a8f7d3e9a1f4c8b2e6d0a5f3c9b7e1d4a8f::server:9b2c4e7f1a3d5c8e0f6b2a4d9c7e1f3a',
      sensitive: true,
    },
  ],
  outputs: [
    {
      name: 'apiServer',
      description: 'Kubernetes API server (kubeconfig: /etc/rancher/k3s/k3s.yaml on the server)',
      template: 'https://{{server.publicIp}}:6443',
    },
  ],
  diagnostics: 'systemctl status k3s k3s-agent --no-pager; k3s kubectl get nodes -o wide',
};
