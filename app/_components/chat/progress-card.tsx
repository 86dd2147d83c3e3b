'use client';
import { useEffect, useState } from 'react';
import type { ProgressData } from '../../../web/chat-types.ts';
import { useT } from '../../_lib/i18n.ts';
import { statusClass } from './format.ts';

/** The part of GET /api/mcis/:name this card reads. */
interface MciNodes {
  status: string;
  nodes: { name: string; status: string; provider: string; regionName?: string }[];
}

/**
 * One running tool call: its latest progress line, a bar, and, for work on an MCI, each node's
 * status polled from the dashboard API while the work runs (once more when it ends).
 */
export function ProgressCard({ progress, live }: { progress: ProgressData; live: boolean }) {
  const t = useT();
  const [mci, setMci] = useState<MciNodes | undefined>();
  const follow = progress.mciName !== undefined && progress.toolName !== 'deleteMCI';
  const polling = follow && live && !progress.done;
  useEffect(() => {
    if (!follow || !progress.mciName) return;
    let cancelled = false;
    const load = async () => {
      try {
        const response = await fetch(`/api/mcis/${encodeURIComponent(progress.mciName ?? '')}`, {
          cache: 'no-store',
        });
        if (response.ok && !cancelled) setMci((await response.json()) as MciNodes);
      } catch {
        // the next poll tries again
      }
    };
    void load();
    if (!polling)
      return () => {
        cancelled = true;
      };
    const timer = setInterval(load, 1500);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [follow, polling, progress.mciName]);

  const fraction =
    progress.total && progress.total > 0 ? Math.min(1, progress.progress / progress.total) : undefined;
  return (
    <section className="card progress-card" data-testid="progress-card" aria-live="polite">
      <div className="progress-line">
        <span className={progress.done ? 'done-mark' : 'spinner'} aria-hidden="true" />
        <span>{progress.message}</span>
      </div>
      {fraction !== undefined ? (
        <progress max={1} value={progress.done ? 1 : fraction} aria-label={progress.toolName} />
      ) : null}
      {mci && mci.nodes.length > 0 ? (
        <ul className="node-chips" aria-label={t('progress.nodes')}>
          {mci.nodes.map((node) => (
            <li
              key={node.name}
              className={`node-chip ${statusClass(node.status)}`}
              data-testid="progress-node"
            >
              <span className="node-dot" aria-hidden="true" />
              {node.name} <span className="muted">{node.regionName ?? node.provider}</span> {node.status}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
