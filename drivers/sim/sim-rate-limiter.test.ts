import { describe, expect, it } from 'vitest';
import { takeToken } from './sim-rate-limiter.ts';

describe('token bucket', () => {
  const bucket = { burst: 3, perSecond: 2 };

  it('allows a burst, then throttles with the time until the next token', () => {
    let state: Parameters<typeof takeToken>[0];
    for (let call = 0; call < 3; call++) {
      const result = takeToken(state, bucket, 0);
      expect(result.granted).toBe(true);
      state = result.state;
    }
    const refused = takeToken(state, bucket, 0);
    expect(refused).toMatchObject({ granted: false, retryAfterMs: 500 });
  });

  it('refills at its rate and never above the burst', () => {
    const empty = { tokens: 0, updatedAt: 0 };
    expect(takeToken(empty, bucket, 499).granted).toBe(false);
    expect(takeToken(empty, bucket, 500).granted).toBe(true);
    const full = takeToken(empty, bucket, 60_000);
    expect(full.state.tokens).toBe(2);
  });
});
