'use client';
// One MCI: its nodes (table and map), apps, endpoints and recent operations, and the actions on it.
// Every action first asks the API without confirm; the review it answers is shown, and the
// action runs only after Approve.
import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import type {
  MciAction,
  MciActionNeedsConfirmation,
  MciActionReview,
  MciActionStarted,
  MciView,
} from '../../../web/dashboard-types.ts';
import { actionLabel, ConfirmCard } from '../../_components/dashboard/confirm-card.tsx';
import {
  errorOf,
  formatTime,
  formatUsd,
  isWebUrl,
  type PageError,
} from '../../_components/dashboard/format.ts';
import { StatusBadge } from '../../_components/dashboard/status-badge.tsx';
import { usePolling } from '../../_components/dashboard/use-polling.ts';
import { type MapPoint, WorldMap } from '../../_components/world-map.tsx';
import { useT } from '../../_lib/i18n.ts';
import { useSettings } from '../../_lib/settings.tsx';

const FAST_MS = 2000;
const SLOW_MS = 15_000;
const FINAL_OPERATION_STATUSES = new Set(['succeeded', 'failed', 'cancelled', 'rolled-back']);

export default function MciPage() {
  const t = useT();
  const router = useRouter();
  const { uiLanguage } = useSettings();
  const params = useParams<{ name: string }>();
  const name = decodeURIComponent(params.name ?? '');
  const [review, setReview] = useState<MciActionReview>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<PageError>();
  const [started, setStarted] = useState<MciActionStarted>();
  const { data, error, status, refresh } = usePolling<MciView>(
    `/api/mcis/${encodeURIComponent(name)}`,
    // An approved action shows up as an unfinished operation at once, so `transitional` covers it.
    (view) => (view?.transitional ? FAST_MS : SLOW_MS),
  );

  // With S2A_READ_ONLY the tools refuse every change: no buttons that can only fail.
  const [readOnly, setReadOnly] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/config', { signal: controller.signal })
      .then((response) => (response.ok ? response.json() : undefined))
      .then((config: { readOnly?: boolean } | undefined) => setReadOnly(config?.readOnly === true))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  // Once a confirmed delete has run its course the MCI is gone: back to the list.
  useEffect(() => {
    if (status === 404 && started?.action === 'delete') router.push('/dashboard');
  }, [status, started, router]);

  const points = useMemo<MapPoint[]>(
    () =>
      (data?.nodes ?? []).flatMap((node) =>
        node.latitude === null || node.longitude === null
          ? []
          : [
              {
                id: node.name,
                latitude: node.latitude,
                longitude: node.longitude,
                label: `${node.name} · ${node.status} · ${node.provider} ${node.regionName}`,
                status: node.status,
              },
            ],
      ),
    [data],
  );

  const post = async (action: MciAction, confirm: boolean): Promise<Response> =>
    fetch(`/api/mcis/${encodeURIComponent(name)}/actions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(confirm ? { action, confirm: true } : { action }),
    });

  const ask = async (action: MciAction) => {
    setBusy(true);
    setActionError(undefined);
    setStarted(undefined);
    try {
      const response = await post(action, false);
      if (response.ok) {
        const body = (await response.clone().json()) as Partial<MciActionNeedsConfirmation>;
        if (body.needsConfirmation && body.review) {
          setReview(body.review);
          return;
        }
      }
      setActionError(await errorOf(response));
    } catch (caught) {
      setActionError({ message: caught instanceof Error ? caught.message : String(caught) });
    } finally {
      setBusy(false);
    }
  };

  const approve = async () => {
    if (!review) return;
    setBusy(true);
    setActionError(undefined);
    try {
      const response = await post(review.action, true);
      if (response.ok) {
        setStarted((await response.json()) as MciActionStarted);
        setReview(undefined);
        refresh();
      } else {
        setActionError(await errorOf(response));
      }
    } catch (caught) {
      setActionError({ message: caught instanceof Error ? caught.message : String(caught) });
    } finally {
      setBusy(false);
    }
  };

  if (status === 404 && !data) {
    return (
      <div className="mci-page">
        <p>
          <Link href="/dashboard">← {t('mci.back')}</Link>
        </p>
        <div className="card" role="alert">
          <p>{t('mci.notFound', { name })}</p>
        </div>
      </div>
    );
  }

  const anyRunning = data?.nodes.some((node) => node.status === 'Running') ?? false;
  const anySuspended = data?.nodes.some((node) => node.status === 'Suspended') ?? false;
  const deleting = data?.state === 'deleting' || (status === 404 && started?.action === 'delete');
  // The tools refuse an action while another operation on the MCI runs: wait for it instead.
  const operationRunning =
    data?.recentOperations.some((operation) => !FINAL_OPERATION_STATUSES.has(operation.status)) ?? false;
  const actionsDisabled = busy || review !== undefined || !data || deleting || operationRunning;

  return (
    <div className="mci-page">
      <p>
        <Link href="/dashboard">← {t('mci.back')}</Link>
      </p>
      <div className="page-heading">
        <h1>{name}</h1>
        {data ? (
          <p className="mci-meta">
            <StatusBadge status={data.status} />{' '}
            <span>
              {formatUsd(data.pricePerHour)}
              {t('common.perHour')}
            </span>{' '}
            <span className="muted">({t('mci.month', { price: formatUsd(data.pricePerMonth, 2) })})</span>
          </p>
        ) : (
          <p className="muted">{t('common.loading')}</p>
        )}
        {data?.description ? <p className="muted">{data.description}</p> : null}
      </div>

      {error && status !== 404 ? (
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

      {readOnly ? null : (
        <section className="mci-actions" aria-label={t('mci.actions')}>
          {(
            [
              ['suspend', 'secondary', !anyRunning],
              ['resume', 'secondary', !anySuspended],
              ['reboot', 'secondary', !anyRunning],
              ['delete', 'danger', false],
            ] as const
          ).map(([action, className, notApplicable]) => (
            <button
              key={action}
              type="button"
              className={className}
              disabled={actionsDisabled || notApplicable}
              onClick={() => void ask(action)}
              data-testid={`mci-action-${action}`}
            >
              {t(`mci.${action}`)}
            </button>
          ))}
        </section>
      )}

      {review ? (
        <ConfirmCard
          review={review}
          busy={busy}
          onApprove={() => void approve()}
          onReject={() => setReview(undefined)}
        />
      ) : null}
      {actionError ? (
        <div className="card error-card" role="alert">
          <p>{actionError.message}</p>
          {actionError.next ? <p className="muted">{actionError.next}</p> : null}
        </div>
      ) : null}
      {started ? (
        <p className="card notice" role="status">
          {started.action === 'delete'
            ? t('mci.deleting')
            : t('mci.started', { action: t(actionLabel(started.action)), id: started.operationId })}
        </p>
      ) : null}

      {data ? (
        <>
          <section className="card" aria-labelledby="nodes-heading">
            <h2 id="nodes-heading">
              {t('mci.nodes')} ({data.nodes.length})
            </h2>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('mci.node')}</th>
                    <th scope="col">{t('mci.provider')}</th>
                    <th scope="col">{t('mci.region')}</th>
                    <th scope="col">{t('mci.spec')}</th>
                    <th scope="col">{t('mci.status')}</th>
                    <th scope="col">{t('mci.ip')}</th>
                    <th scope="col" className="number">
                      {t('mci.price')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.nodes.map((node) => (
                    <tr
                      key={node.name}
                      data-testid="node-row"
                      data-name={node.name}
                      data-status={node.status}
                    >
                      <th scope="row">{node.name}</th>
                      <td>{node.provider}</td>
                      <td title={node.regionId}>{node.regionName}</td>
                      <td>
                        <code>{node.specId.split('+').at(-1)}</code>
                      </td>
                      <td>
                        <StatusBadge status={node.status} />
                      </td>
                      <td>{node.publicIp ? <code>{node.publicIp}</code> : '—'}</td>
                      <td className="number">
                        {formatUsd(node.pricePerHour)}
                        {node.pricePerHour === null ? '' : t('common.perHour')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <div className="mci-columns">
            <section className="card" aria-labelledby="apps-heading">
              <h2 id="apps-heading">{t('mci.apps')}</h2>
              {data.apps.length === 0 ? (
                <p className="muted">{t('mci.noApps')}</p>
              ) : (
                <ul className="plain-list">
                  {data.apps.map((app) => (
                    <li key={app.app}>
                      <strong>{app.app}</strong>{' '}
                      <span className={app.ok ? 'status-running' : 'status-failed'}>
                        {app.ok ? t('mci.appOk') : t('mci.appFailed', { count: app.failures })}
                      </span>{' '}
                      <span className="muted">{formatTime(app.installedAt, uiLanguage)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="card" aria-labelledby="endpoints-heading">
              <h2 id="endpoints-heading">{t('mci.endpoints')}</h2>
              {data.endpoints.length === 0 ? (
                <p className="muted">{t('mci.noEndpoints')}</p>
              ) : (
                <ul className="plain-list" data-testid="endpoints">
                  {data.endpoints.map((endpoint) => (
                    <li key={`${endpoint.name}-${endpoint.url}`}>
                      <span className="muted">{endpoint.name}</span>{' '}
                      {isWebUrl(endpoint.url) ? (
                        <a href={endpoint.url} target="_blank" rel="noreferrer noopener">
                          {endpoint.url}
                        </a>
                      ) : (
                        <code>{endpoint.url}</code>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>

          <section className="card map-card" aria-labelledby="mci-map-heading">
            <h2 id="mci-map-heading">{t('dashboard.mapTitle')}</h2>
            <WorldMap points={points} title={`${name}: ${t('dashboard.mapTitle')}`} fit />
          </section>

          {data.recentOperations.length > 0 ? (
            <section className="card" aria-labelledby="operations-heading">
              <h2 id="operations-heading">{t('mci.operations')}</h2>
              <div className="table-wrap">
                <table>
                  <tbody>
                    {data.recentOperations.map((operation) => (
                      <tr key={operation.operationId}>
                        <td>{operation.kind}</td>
                        <td>
                          <StatusBadge status={operation.status} />
                        </td>
                        <td className="muted">{formatTime(operation.startedAt, uiLanguage)}</td>
                        <td>
                          <code>{operation.operationId}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
