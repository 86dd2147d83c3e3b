'use client';
import Link from 'next/link';
import type { SummaryData } from '../../../web/chat-types.ts';
import { useT } from '../../_lib/i18n.ts';
import { Markdown } from './markdown.tsx';

/** The summary's own endpoint lines go: the links below show them once, as links. */
function withoutEndpointLines(summary: SummaryData): string {
  if (summary.endpoints.length === 0) return summary.text;
  return summary.text
    .split('\n')
    .filter((line) => !summary.endpoints.some((endpoint) => line.includes(endpoint.url)))
    .filter((line) => !/^\s*(endpoints|접속 주소|엔드포인트)\s*:?\s*$/i.test(line))
    .join('\n')
    .trim();
}

export function SummaryCard({ summary }: { summary: SummaryData }) {
  const t = useT();
  return (
    <section className="card summary-card" data-testid="chat-summary">
      <Markdown text={withoutEndpointLines(summary)} />
      {summary.endpoints.length > 0 ? (
        <div className="endpoints">
          <strong>{t('summary.endpoints')}</strong>
          <ul>
            {summary.endpoints.map((endpoint) => (
              <li key={`${endpoint.name}-${endpoint.url}`}>
                {endpoint.name}:{' '}
                <a href={endpoint.url} target="_blank" rel="noopener noreferrer" data-testid="endpoint-link">
                  {endpoint.url}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {summary.mciName ? (
        <Link href={`/mci/${encodeURIComponent(summary.mciName)}`}>{t('summary.openMci')} →</Link>
      ) : null}
    </section>
  );
}
