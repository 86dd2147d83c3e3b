import { describeDriverConformance } from '../conformance/index.ts';
import { AzureDriver } from './azure-driver.ts';
import { FAKE_TOKEN, FakeArm } from './testing/fake-arm.ts';

/** The Azure driver passes the suite at the wire: both ARM SDKs over HTTPS against the local fake. */
describeDriverConformance({
  name: 'azure (fake ARM over HTTPS)',
  statusTimeoutMs: 20_000,
  pollIntervalMs: 10,
  setup: async () => {
    const fake = new FakeArm();
    const { endpoint, ca } = await fake.start();
    const driver = new AzureDriver({
      subscriptionId: fake.subscriptionId,
      credential: { kind: 'default' },
      // A fixed token: DefaultAzureCredential would look for a real account.
      tokenCredential: {
        getToken: async () => ({ token: FAKE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
      },
      endpoint,
      trustedCa: ca,
      prices: 'retail',
      pricesEndpoint: `${endpoint}/api/retail/prices`,
      // Provoked 429s must reach the driver, not be retried away by the SDK.
      maxRetries: 0,
      pollIntervalMs: 5,
    });
    const vms = /\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+$/;
    const networks = /\/providers\/Microsoft\.Network\/virtualNetworks$/;
    return {
      driver,
      region: 'koreacentral',
      specId: 'azure+koreacentral+Standard_B2s',
      imageId: 'azure+koreacentral+Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202406140',
      provoke: {
        capacity: async () =>
          fake.failNextOperation(
            'PUT',
            vms,
            'ZonalAllocationFailed',
            'Allocation failed. We do not have sufficient capacity for the requested VM size in this zone.',
          ),
        quota: async () =>
          fake.failNext('PUT', vms, {
            status: 409,
            code: 'OperationNotAllowed',
            message:
              'Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Location: koreacentral, Current Limit: 4, Current Usage: 4, Additional Required: 2.',
          }),
        throttle: async () =>
          fake.failNext('GET', networks, {
            status: 429,
            code: 'TooManyRequests',
            message: 'The request is being throttled.',
            retryAfterSeconds: 2,
          }),
        auth: async () =>
          fake.failNext('GET', networks, {
            status: 403,
            code: 'AuthorizationFailed',
            message:
              "The client 'app' does not have authorization to perform action 'Microsoft.Network/virtualNetworks/read' over scope '/subscriptions/x'.",
          }),
      },
      clearProvocations: async () => fake.clearProvocations(),
      cleanup: () => fake.stop(),
    };
  },
});
