/** The offline planner's understanding half: sentence (+ context) → intent or one question. */
export * from './intent.ts';
export { understand } from './understand.ts';
