import { describe, expect, it } from 'vitest';
import { simConfigFromEnvironment } from './sim-config.ts';

describe('sim settings from the environment', () => {
  it('uses realistic defaults when nothing is set', () => {
    const config = simConfigFromEnvironment({});
    expect(config).toMatchObject({
      account: 'default',
      timeScale: 1,
      rateLimits: {},
      quotas: { vcpuPerRegion: 1024, gpuPerRegion: 64 },
      faults: [],
    });
  });

  it('reads every variable', () => {
    const config = simConfigFromEnvironment({
      S2A_SIM_ACCOUNT: 'eval-7',
      S2A_SIM_TIME_SCALE: '0.01',
      S2A_SIM_SEED: '42',
      S2A_SIM_RATE_LIMITS: 'off',
      S2A_SIM_VCPU_QUOTA: '64',
      S2A_SIM_GPU_QUOTA: '2',
      S2A_SIM_FAULTS: '[{"kind":"capacity","provider":"aws","region":"ap-northeast-2","rate":0.5}]',
    });
    expect(config).toMatchObject({
      account: 'eval-7',
      timeScale: 0.01,
      seed: 42,
      rateLimits: false,
      quotas: { vcpuPerRegion: 64, gpuPerRegion: 2 },
      faults: [{ kind: 'capacity', provider: 'aws', region: 'ap-northeast-2', rate: 0.5 }],
    });
  });

  it.each([
    [{ S2A_SIM_TIME_SCALE: 'fast' }, /S2A_SIM_TIME_SCALE/],
    [{ S2A_SIM_TIME_SCALE: '-1' }, /S2A_SIM_TIME_SCALE/],
    [{ S2A_SIM_RATE_LIMITS: 'maybe' }, /S2A_SIM_RATE_LIMITS/],
    [{ S2A_SIM_FAULTS: 'capacity everywhere' }, /must be a JSON array/],
    [{ S2A_SIM_FAULTS: '[{"kind":"meteor"}]' }, /faults\.0\.kind/],
    [{ S2A_SIM_ACCOUNT: 'Bad Account!' }, /account/],
  ])('refuses %j with a message naming the setting', (environment, message) => {
    expect(() => simConfigFromEnvironment(environment)).toThrow(message);
  });
});
