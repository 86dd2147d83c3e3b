import { describeDriverConformance } from '../conformance/index.ts';
import type { DriverOperation } from '../spec/index.ts';
import { AwsDriver } from './aws-driver.ts';
import { FakeEc2 } from './testing/fake-ec2.ts';

/** The EC2 action each provoked driver operation sends first. */
const ACTION_BY_OPERATION: Partial<Record<DriverOperation, string>> = {
  createVm: 'RunInstances',
  listVNets: 'DescribeVpcs',
};

describeDriverConformance({
  name: 'aws (fake EC2 at the wire)',
  // The fake settles a transitional state on the next DescribeInstances, so waits are short.
  statusTimeoutMs: 20_000,
  pollIntervalMs: 10,
  setup: async () => {
    const fake = await FakeEc2.start();
    const driver = new AwsDriver({
      region: 'ap-northeast-2',
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' },
      maxAttempts: 1,
      environment: {},
    });
    const provoke = (code: string) => async (operation: DriverOperation) => {
      const action = ACTION_BY_OPERATION[operation];
      if (!action) throw new Error(`no EC2 action known for ${operation}`);
      fake.failNext(action, code);
    };
    return {
      driver,
      region: 'ap-northeast-2',
      zone: 'ap-northeast-2a',
      specId: 'aws+ap-northeast-2+t3.small',
      imageId: 'aws+ap-northeast-2+ami-0c9c942bd7bf113a2',
      provoke: {
        capacity: provoke('InsufficientInstanceCapacity'),
        quota: provoke('VcpuLimitExceeded'),
        throttle: provoke('RequestLimitExceeded'),
        auth: provoke('AuthFailure'),
      },
      clearProvocations: async () => fake.clearFailures(),
      cleanup: () => fake.close(),
    };
  },
});
