export * from './driver.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './money.ts';
export * from './schemas.ts';
export * from './validate.ts';
export * from './wait.ts';
