import type { RecipeInput } from '../schema.ts';

export const nodeExporter: RecipeInput = {
  name: 'node-exporter',
  title: 'Prometheus node exporter',
  description:
    "Machine metrics (CPU, memory, disk, network) for Prometheus on port 9100, from Ubuntu's package.",
  requirements: {},
  parameters: [],
  roles: [{ name: 'default', count: 'all' }],
  install: {
    scripts: {
      default: `s2a_apt_install prometheus-node-exporter
systemctl enable prometheus-node-exporter >/dev/null 2>&1
systemctl restart prometheus-node-exporter
`,
    },
    estimatedSeconds: [20, 45],
    timeoutSeconds: 600,
  },
  ports: [{ port: 9100, protocol: 'tcp', description: 'Prometheus metrics', public: true }],
  health: { http: { port: 9100, path: '/metrics', expectStatus: 200 }, timeoutSeconds: 120 },
  outputs: [
    { name: 'metrics', description: 'Metrics endpoint to scrape', template: 'http://{{host}}:9100/metrics' },
  ],
  diagnostics: 'systemctl status prometheus-node-exporter --no-pager',
};
