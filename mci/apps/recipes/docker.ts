import type { RecipeInput } from '../schema.ts';

export const docker: RecipeInput = {
  name: 'docker',
  title: 'Docker Engine',
  description:
    "Docker Engine and the compose plugin from Docker's own repository (get.docker.com). The login user joins the docker group.",
  requirements: {},
  parameters: [],
  roles: [{ name: 'default', count: 'all' }],
  install: {
    scripts: {
      default: `s2a_ensure_docker
if [ -n "$(printenv SUDO_USER || true)" ] && [ "$(printenv SUDO_USER)" != root ]; then
  usermod -aG docker "$(printenv SUDO_USER)"
fi
s2a_output version "$(docker --version | awk '{print $3}' | tr -d ,)"
`,
    },
    estimatedSeconds: [45, 120],
    timeoutSeconds: 1200,
  },
  ports: [],
  health: null,
  scriptOutputs: [
    {
      name: 'version',
      role: 'default',
      description: 'Docker Engine version',
      pattern: '[0-9A-Za-z.+~-]+',
      example: '27.3.1',
    },
  ],
  outputs: [{ name: 'version', description: 'Docker Engine version installed', template: '{{version}}' }],
  diagnostics: 'systemctl status docker --no-pager; docker info',
};
