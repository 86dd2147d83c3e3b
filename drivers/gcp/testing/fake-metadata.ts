import { createServer, type Server } from 'node:http';
import { closeNow, listenOnFreePort } from '../../spec/testing/json-server.ts';

/**
 * A local GCE metadata server: what Application Default Credentials use on Compute Engine, Cloud
 * Run and GKE. With GCE_METADATA_HOST=127.0.0.1:<port> and METADATA_SERVER_DETECTION=assume-present,
 * a child process's google-auth-library takes its access token from here, so an s2a process
 * configured only through S2A_CONNECTIONS reaches the fakes with a real token flow.
 */
export class FakeMetadata {
  /** Token requests served, with the scopes each asked for. */
  readonly tokenRequests: { scopes: string | null }[] = [];
  private server: Server | undefined;

  constructor(private readonly projectId = 'metadata-project') {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      response.setHeader('Metadata-Flavor', 'Google');
      // The real server refuses requests without the header (it keeps browsers and SSRF out).
      if (request.headers['metadata-flavor'] !== 'Google') {
        response.statusCode = 403;
        response.end('Missing Metadata-Flavor:Google header.');
        return;
      }
      const path = url.pathname.replace(/^\/computeMetadata\/v1\//, '');
      if (path === 'instance/service-accounts/default/token') {
        this.tokenRequests.push({ scopes: url.searchParams.get('scopes') });
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            access_token: 'ya29.fake-metadata-token',
            expires_in: 3599,
            token_type: 'Bearer',
          }),
        );
        return;
      }
      const text: Record<string, string> = {
        'project/project-id': this.projectId,
        'universe/universe-domain': 'googleapis.com',
        'instance/service-accounts/default/email': `s2a@${this.projectId}.iam.gserviceaccount.com`,
      };
      const value = text[path];
      response.statusCode = value === undefined ? 404 : 200;
      response.setHeader('content-type', 'application/text');
      response.end(value ?? 'Not Found');
    });
    return `127.0.0.1:${await listenOnFreePort(this.server)}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeNow(server);
  }
}
