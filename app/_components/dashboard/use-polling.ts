'use client';
// Fetches JSON now and again: quickly while something changes, slowly otherwise (so MCIs made in
// the chat show up), never while the tab is hidden.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorOf, type PageError } from './format.ts';

export interface Polled<T> {
  data: T | undefined;
  error: PageError | undefined;
  /** HTTP status of the last answer (404: gone). */
  status: number | undefined;
  loading: boolean;
  refresh(): void;
}

export function usePolling<T>(
  url: string,
  /** Milliseconds to the next fetch for this answer. */
  interval: (data: T | undefined) => number,
): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<PageError>();
  const [status, setStatus] = useState<number>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const intervalRef = useRef(interval);
  intervalRef.current = interval;
  const refresh = useCallback(() => setTick((value) => value + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is the refresh trigger
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      let next: T | undefined;
      try {
        const response = await fetch(url, { cache: 'no-store', signal: controller.signal });
        setStatus(response.status);
        if (response.ok) {
          next = (await response.json()) as T;
          setData(next);
          setError(undefined);
        } else {
          setError(await errorOf(response));
        }
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError({ message: caught instanceof Error ? caught.message : String(caught) });
      }
      setLoading(false);
      if (!controller.signal.aborted)
        timer = setTimeout(() => {
          if (document.visibilityState === 'visible') void load();
          else
            document.addEventListener('visibilitychange', () => void load(), {
              once: true,
              signal: controller.signal,
            });
        }, intervalRef.current(next));
    };
    void load();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [url, tick]);

  return { data, error, status, loading, refresh };
}
