import type { NextConfig } from 'next';

// The UI only: the server process (web/server.ts) owns the runtime, the API and MCP, and hands
// every other request to Next. `npm run typecheck` checks app/ with app/tsconfig.json.
const config: NextConfig = {
  typescript: { ignoreBuildErrors: true, tsconfigPath: 'app/tsconfig.json' },
  poweredByHeader: false,
  reactStrictMode: true,
  devIndicators: false,
};

export default config;
