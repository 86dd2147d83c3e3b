// Provider-agnostic building blocks for drivers (see each file for why it is shared).

export * from './checks.ts';
export * from './errors.ts';
export * from './idempotency.ts';
export * from './plumbing.ts';
export * from './regions.ts';
export * from './tags.ts';
