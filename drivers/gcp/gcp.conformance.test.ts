import { OAuth2Client } from 'google-auth-library';
import { describeDriverConformance } from '../conformance/index.ts';
import { GcpDriver } from './gcp-driver.ts';
import { FakeCompute } from './testing/fake-compute.ts';

/** The GCP driver passes the suite at the wire: @google-cloud/compute (REST) against the local fake. */
describeDriverConformance({
  name: 'gcp (fake Compute REST)',
  statusTimeoutMs: 20_000,
  pollIntervalMs: 10,
  setup: async () => {
    const fake = new FakeCompute();
    const port = await fake.start();
    // A fixed token: without an auth client the library looks for default credentials.
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'fake-token', expiry_date: Date.now() + 3_600_000 });
    const driver = new GcpDriver({
      projectId: 'cf-project',
      endpoint: { host: '127.0.0.1', port, protocol: 'http' },
      authClient,
    });
    const instances = /^zones\/[^/]+\/instances$/;
    const networks = /^global\/networks$/;
    return {
      driver,
      region: 'asia-northeast3',
      specId: 'gcp+asia-northeast3+e2-medium',
      imageId: 'gcp+asia-northeast3+ubuntu-2204-jammy-v20240614',
      provoke: {
        capacity: async () =>
          fake.failNextOperation(
            'POST',
            instances,
            'ZONE_RESOURCE_POOL_EXHAUSTED',
            "The zone 'projects/cf-project/zones/asia-northeast3-a' does not have enough resources available to fulfill the request.",
            503,
          ),
        quota: async () =>
          fake.failNextOperation(
            'POST',
            instances,
            'QUOTA_EXCEEDED',
            "Quota 'CPUS' exceeded.  Limit: 8.0 in region asia-northeast3.",
            403,
          ),
        throttle: async () =>
          fake.failNextHttp('GET', networks, {
            status: 429,
            reason: 'rateLimitExceeded',
            message: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute'",
            statusText: 'RESOURCE_EXHAUSTED',
          }),
        auth: async () =>
          fake.failNextHttp('GET', networks, {
            status: 401,
            reason: 'authError',
            message: 'Request had invalid authentication credentials.',
            statusText: 'UNAUTHENTICATED',
          }),
      },
      clearProvocations: async () => fake.clearProvocations(),
      cleanup: () => fake.stop(),
    };
  },
});
