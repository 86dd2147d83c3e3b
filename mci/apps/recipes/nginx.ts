import type { RecipeInput } from '../schema.ts';

export const nginx: RecipeInput = {
  name: 'nginx',
  title: 'nginx',
  description:
    'The nginx web server from Ubuntu, serving its welcome page on port 80 (content in /var/www/html).',
  requirements: {},
  parameters: [],
  roles: [{ name: 'default', count: 'all' }],
  install: {
    scripts: {
      default: `s2a_apt_install nginx
systemctl enable nginx >/dev/null 2>&1
systemctl restart nginx
`,
    },
    estimatedSeconds: [25, 60],
    timeoutSeconds: 900,
  },
  ports: [{ port: 80, protocol: 'tcp', description: 'HTTP', public: true }],
  health: { http: { port: 80, path: '/', expectStatus: 200 }, timeoutSeconds: 120 },
  outputs: [{ name: 'url', description: 'The web server', template: 'http://{{host}}/' }],
  diagnostics: 'systemctl status nginx --no-pager; tail -n 50 /var/log/nginx/error.log',
};
