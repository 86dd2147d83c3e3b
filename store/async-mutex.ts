/**
 * A first-in first-out lock for async work. better-sqlite3 runs statements synchronously on one
 * connection, so while a transaction awaits between its statements every other caller must wait
 * here; otherwise its statements would land inside someone else's transaction.
 */
export class AsyncMutex {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  get locked(): boolean {
    return this.#locked;
  }

  /**
   * Runs `work` once every earlier holder has finished. When the lock is free, `work` starts
   * synchronously, so a short synchronous statement costs no extra turn of the event loop.
   */
  async withLock<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.#locked) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    } else {
      this.#locked = true;
    }
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  /** Resolves once everything queued so far has run. */
  async idle(): Promise<void> {
    if (this.#locked) await this.withLock(() => undefined);
  }

  #release(): void {
    // Hand the lock straight to the next waiter so nobody can overtake the queue.
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}
