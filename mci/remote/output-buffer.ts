import { OUTPUT_LIMIT_BYTES } from './types.ts';

/** Keeps the last `limit` bytes written to it, and counts what it dropped. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;

  constructor(private readonly limit = OUTPUT_LIMIT_BYTES) {}

  write(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.chunks.push(bytes);
    this.size += bytes.length;
    if (this.size <= this.limit) return;
    const joined = Buffer.concat(this.chunks);
    const excess = joined.length - this.limit;
    this.dropped += excess;
    this.chunks = [joined.subarray(excess)];
    this.size = this.limit;
  }

  /** The kept bytes as UTF-8 (a character cut at the start shows as U+FFFD). */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
