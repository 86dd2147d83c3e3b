import { describeDriverConformance } from '../conformance/index.ts';
import type { DriverOperation } from '../spec/index.ts';
import { TencentDriver } from './tencent-driver.ts';
import { FakeTencent } from './testing/fake-tencent.ts';
import { FAKE_SECRET_ID, FAKE_SECRET_KEY, UBUNTU_2204_IMAGE } from './testing/fixtures.ts';

/** The API action each provoked driver operation sends first. */
const ACTION_BY_OPERATION: Partial<Record<DriverOperation, string>> = {
  createVm: 'RunInstances',
  listVNets: 'DescribeVpcs',
};

/** The Tencent driver passes the suite at the wire: the real CVM SDK and common client against the local fake. */
describeDriverConformance({
  name: 'tencent (fake CVM and VPC API 3.0)',
  // The fake settles a transitional state after one more DescribeInstances, so waits are short.
  statusTimeoutMs: 20_000,
  pollIntervalMs: 10,
  setup: async () => {
    const fake = await FakeTencent.start();
    // Small pages, so every Describe* call is followed through Offset/Limit.
    fake.maxPageSize = 2;
    const driver = new TencentDriver({
      region: 'ap-seoul',
      endpoints: fake.endpoints,
      credentials: { secretId: FAKE_SECRET_ID, secretKey: FAKE_SECRET_KEY },
      environment: {},
    });
    const provoke = (code: string) => async (operation: DriverOperation) => {
      const action = ACTION_BY_OPERATION[operation];
      if (!action) throw new Error(`no Tencent action known for ${operation}`);
      fake.failNext(action, code);
    };
    return {
      driver,
      region: 'ap-seoul',
      zone: 'ap-seoul-1',
      specId: 'tencent+ap-seoul+S5.MEDIUM4',
      imageId: `tencent+ap-seoul+${UBUNTU_2204_IMAGE}`,
      provoke: {
        capacity: provoke('ResourcesSoldOut.SpecifiedInstanceType'),
        quota: provoke('LimitExceeded.InstanceQuota'),
        throttle: provoke('RequestLimitExceeded'),
        auth: provoke('AuthFailure.SignatureFailure'),
      },
      clearProvocations: async () => fake.clearFailures(),
      cleanup: () => fake.close(),
    };
  },
});
