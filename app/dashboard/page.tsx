'use client';
// Every MCI with its status, cost and providers, and all their nodes on the world map. Refreshes
// every 2.5 s while anything is changing, every 15 s otherwise.
import Link from 'next/link';
import { useMemo } from 'react';
import type { MciListView } from '../../web/dashboard-types.ts';
import { formatTime, formatUsd } from '../_components/dashboard/format.ts';
import { StatusBadge } from '../_components/dashboard/status-badge.tsx';
import { usePolling } from '../_components/dashboard/use-polling.ts';
import { type MapPoint, WorldMap } from '../_components/world-map.tsx';
import { useT } from '../_lib/i18n.ts';
import { useSettings } from '../_lib/settings.tsx';

const FAST_MS = 2500;
const SLOW_MS = 15_000;

export default function DashboardPage() {
  const t = useT();
  const { uiLanguage } = useSettings();
  const { data, error, loading, refresh } = usePolling<MciListView>('/api/mcis', (view) =>
    view?.mcis.some((mci) => mci.transitional) ? FAST_MS : SLOW_MS,
  );
  const live = data?.mcis.some((mci) => mci.transitional) ?? false;

  const points = useMemo<MapPoint[]>(
    () =>
      (data?.mcis ?? []).flatMap((mci) =>
        mci.nodes.flatMap((node) =>
          node.latitude === null || node.longitude === null
            ? []
            : [
                {
                  id: `${mci.name}/${node.name}`,
                  latitude: node.latitude,
                  longitude: node.longitude,
                  label: `${mci.name}/${node.name} · ${node.status} · ${node.provider} ${node.regionName}`,
                  status: node.status,
                  href: `/mci/${encodeURIComponent(mci.name)}`,
                },
              ],
        ),
      ),
    [data],
  );

  return (
    <div className="dashboard">
      <div className="page-heading">
        <h1>{t('dashboard.title')}</h1>
        {data ? (
          <p className="muted">
            {t('dashboard.total', { price: `${formatUsd(data.totalPricePerHour)}${t('common.perHour')}` })}
            {live ? (
              <span className="live-note" role="status">
                {' '}
                · {t('dashboard.live')}
              </span>
            ) : null}
          </p>
        ) : null}
      </div>

      {error ? (
        <div className="card error-card" role="alert">
          <p>
            {t('common.error')}: {error.message}
          </p>
          {error.next ? <p className="muted">{error.next}</p> : null}
          <button type="button" className="secondary" onClick={refresh}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}

      {loading && !data ? <p className="muted">{t('common.loading')}</p> : null}

      {data && data.mcis.length === 0 ? (
        <div className="card">
          <p>{t('dashboard.empty')}</p>
          <Link href="/">{t('dashboard.openChat')} →</Link>
        </div>
      ) : null}

      {data && data.mcis.length > 0 ? (
        <section className="card" aria-label={t('dashboard.listLabel')}>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.name')}</th>
                  <th scope="col">{t('dashboard.status')}</th>
                  <th scope="col" className="number">
                    {t('dashboard.cost')}
                  </th>
                  <th scope="col" className="number">
                    {t('dashboard.nodes')}
                  </th>
                  <th scope="col">{t('dashboard.providers')}</th>
                  <th scope="col">{t('dashboard.created')}</th>
                </tr>
              </thead>
              <tbody>
                {data.mcis.map((mci) => (
                  <tr key={mci.name} data-testid="mci-row" data-name={mci.name} data-status={mci.status}>
                    <th scope="row">
                      <Link href={`/mci/${encodeURIComponent(mci.name)}`}>{mci.name}</Link>
                    </th>
                    <td>
                      <StatusBadge status={mci.status} />
                    </td>
                    <td className="number">
                      {formatUsd(mci.pricePerHour)}
                      {t('common.perHour')}
                    </td>
                    <td className="number">{mci.nodesTotal}</td>
                    <td>
                      <span className="provider-counts">
                        {mci.providers.map((entry) => (
                          <span key={entry.provider} className="provider-count">
                            {entry.provider} {entry.nodes}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td>{formatTime(mci.createdAt, uiLanguage)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {data ? (
        <section className="card map-card" aria-labelledby="dashboard-map-heading">
          <h2 id="dashboard-map-heading">{t('dashboard.mapTitle')}</h2>
          <WorldMap points={points} title={t('dashboard.mapTitle')} />
        </section>
      ) : null}
    </div>
  );
}
