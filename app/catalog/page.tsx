'use client';
// The catalog explorer: specs and prices of every provider and region, filtered, cheapest first,
// in a table and on the map.
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { PROVIDERS } from '../../drivers/spec/providers.ts';
import type { CatalogSpecsView } from '../../web/dashboard-types.ts';
import { errorOf, formatGiB, formatUsd, type PageError } from '../_components/dashboard/format.ts';
import { type MapPoint, WorldMap } from '../_components/world-map.tsx';
import { useT } from '../_lib/i18n.ts';

/** One colour per provider on the map (readable on light and dark land). */
const PROVIDER_COLORS: Record<string, string> = {
  aws: '#ff9900',
  azure: '#0a84d6',
  gcp: '#34a853',
  alibaba: '#ff6a00',
  tencent: '#00a3ff',
  ibm: '#8a3ffc',
  openstack: '#da1a32',
  ncp: '#03c75a',
  nhn: '#5d5fef',
  kt: '#e6007e',
};

const GPU_SUGGESTIONS = ['any', 'T4', 'L4', 'A10G', 'A100', 'H100', 'V100', 'L40S'];

interface Filters {
  gpu: string;
  minVcpu: string;
  minMemoryGiB: string;
  maxPricePerHour: string;
  near: string;
  radiusKm: string;
  provider: string;
  limit: string;
}

const EMPTY: Filters = {
  gpu: '',
  minVcpu: '',
  minMemoryGiB: '',
  maxPricePerHour: '',
  near: '',
  radiusKm: '',
  provider: '',
  limit: '50',
};

function queryOf(filters: Filters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    if (value.trim() !== '' && value !== EMPTY[key as keyof Filters]) query.set(key, value.trim());
  return query.toString();
}

function filtersFrom(search: string): Filters {
  const query = new URLSearchParams(search);
  const filters = { ...EMPTY };
  for (const key of Object.keys(EMPTY) as (keyof Filters)[]) {
    const value = query.get(key);
    if (value !== null) filters[key] = value.slice(0, 200);
  }
  return filters;
}

export default function CatalogPage() {
  const t = useT();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [view, setView] = useState<CatalogSpecsView>();
  const [error, setError] = useState<PageError>();
  const [loading, setLoading] = useState(false);

  const search = useCallback(async (wanted: Filters) => {
    setLoading(true);
    setError(undefined);
    try {
      const response = await fetch(`/api/catalog/specs?${queryOf(wanted)}`, { cache: 'no-store' });
      if (response.ok) setView((await response.json()) as CatalogSpecsView);
      else setError(await errorOf(response));
    } catch (caught) {
      setError({ message: caught instanceof Error ? caught.message : String(caught) });
    } finally {
      setLoading(false);
    }
  }, []);

  // Filters come from the address (/catalog?gpu=H100&near=Seoul, e.g. a link from the chat); with
  // none, the cheapest specs anywhere.
  useEffect(() => {
    const initial = filtersFrom(window.location.search);
    setFilters(initial);
    void search(initial);
  }, [search]);

  const apply = (wanted: Filters) => {
    const query = queryOf(wanted);
    window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
    void search(wanted);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(filters);
  };
  const set = (key: keyof Filters) => (event: { target: { value: string } }) =>
    setFilters((current) => ({ ...current, [key]: event.target.value }));

  const points = useMemo<MapPoint[]>(
    () =>
      (view?.results ?? []).flatMap((row) =>
        row.latitude === null || row.longitude === null
          ? []
          : [
              {
                id: row.specId,
                latitude: row.latitude,
                longitude: row.longitude,
                label: `${row.name} · ${row.provider} ${row.regionName} · ${formatUsd(row.pricePerHour)}${t('common.perHour')}`,
                color: PROVIDER_COLORS[row.provider] ?? 'var(--accent)',
              },
            ],
      ),
    [view, t],
  );
  const shownProviders = [...new Set((view?.results ?? []).map((row) => row.provider))];

  return (
    <div className="catalog-page">
      <div className="page-heading">
        <h1>{t('catalog.title')}</h1>
        <p className="muted">{t('catalog.intro')}</p>
      </div>

      <form className="card catalog-filters" onSubmit={submit} aria-label={t('catalog.filters')}>
        <div className="field">
          <label htmlFor="filter-gpu">{t('catalog.gpu')}</label>
          <input
            id="filter-gpu"
            list="gpu-suggestions"
            value={filters.gpu}
            onChange={set('gpu')}
            placeholder={t('catalog.gpuPlaceholder')}
            aria-describedby="filter-gpu-hint"
            maxLength={100}
          />
          <datalist id="gpu-suggestions">
            {GPU_SUGGESTIONS.map((model) => (
              <option key={model} value={model} />
            ))}
          </datalist>
          <small id="filter-gpu-hint" className="muted">
            {t('catalog.gpuHint')}
          </small>
        </div>
        <div className="field">
          <label htmlFor="filter-vcpu">{t('catalog.minVcpu')}</label>
          <input
            id="filter-vcpu"
            type="number"
            inputMode="numeric"
            min={1}
            max={1024}
            value={filters.minVcpu}
            onChange={set('minVcpu')}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-memory">{t('catalog.minMemory')}</label>
          <input
            id="filter-memory"
            type="number"
            inputMode="decimal"
            min={0.5}
            step="any"
            value={filters.minMemoryGiB}
            onChange={set('minMemoryGiB')}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-price">{t('catalog.maxPrice')}</label>
          <input
            id="filter-price"
            type="number"
            inputMode="decimal"
            min={0.0001}
            step="any"
            value={filters.maxPricePerHour}
            onChange={set('maxPricePerHour')}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-near">{t('catalog.near')}</label>
          <input
            id="filter-near"
            value={filters.near}
            onChange={set('near')}
            placeholder={t('catalog.nearPlaceholder')}
            maxLength={200}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-radius">{t('catalog.radius')}</label>
          <input
            id="filter-radius"
            type="number"
            inputMode="numeric"
            min={1}
            max={20000}
            value={filters.radiusKm}
            onChange={set('radiusKm')}
            disabled={filters.near.trim() === ''}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-provider">{t('catalog.provider')}</label>
          <select id="filter-provider" value={filters.provider} onChange={set('provider')}>
            <option value="">{t('catalog.anyProvider')}</option>
            {PROVIDERS.map((provider) => (
              <option key={provider} value={provider}>
                {provider}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-limit">{t('catalog.limit')}</label>
          <select id="filter-limit" value={filters.limit} onChange={set('limit')}>
            {['10', '25', '50', '100'].map((limit) => (
              <option key={limit} value={limit}>
                {limit}
              </option>
            ))}
          </select>
        </div>
        <div className="catalog-filter-actions">
          <button type="submit" disabled={loading} data-testid="catalog-search">
            {t('catalog.search')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setFilters(EMPTY);
              apply(EMPTY);
            }}
          >
            {t('catalog.reset')}
          </button>
        </div>
      </form>

      {error ? (
        <div className="card error-card" role="alert">
          <p>{error.message}</p>
          {error.next ? <p className="muted">{error.next}</p> : null}
        </div>
      ) : null}

      <div aria-live="polite" className="catalog-count">
        {loading ? (
          <p className="muted">{t('common.loading')}</p>
        ) : view ? (
          <p className="muted">
            {view.count === 0 ? t('catalog.none') : t('catalog.results', { count: view.count })}
          </p>
        ) : null}
      </div>

      {view && view.count > 0 ? (
        <>
          <section className="card map-card" aria-labelledby="catalog-map-heading">
            <h2 id="catalog-map-heading">{t('catalog.mapTitle')}</h2>
            <WorldMap points={points} title={t('catalog.mapTitle')} legend={false} fit />
            <p className="map-legend">
              {shownProviders.map((provider) => (
                <span key={provider} className="map-legend-item">
                  <span
                    className="map-legend-swatch"
                    style={{ background: PROVIDER_COLORS[provider] ?? 'var(--accent)' }}
                    aria-hidden="true"
                  />
                  {provider}
                </span>
              ))}
            </p>
          </section>
          <section className="card" aria-label={t('catalog.results', { count: view.count })}>
            <div className="table-wrap">
              <table data-testid="catalog-results">
                <thead>
                  <tr>
                    <th scope="col">{t('catalog.spec')}</th>
                    <th scope="col">{t('catalog.provider')}</th>
                    <th scope="col">{t('catalog.region')}</th>
                    <th scope="col" className="number">
                      {t('catalog.vcpu')}
                    </th>
                    <th scope="col" className="number">
                      {t('catalog.memory')}
                    </th>
                    <th scope="col">{t('catalog.gpuColumn')}</th>
                    <th scope="col" className="number">
                      {t('catalog.price')}
                    </th>
                    <th scope="col" className="number">
                      {t('catalog.month')}
                    </th>
                    {view.results.some((row) => row.distanceKm !== null) ? (
                      <th scope="col" className="number">
                        {t('catalog.distance')}
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {view.results.map((row) => (
                    <tr key={row.specId} data-testid="catalog-row">
                      <th scope="row" title={row.specId}>
                        <code>{row.name}</code>
                      </th>
                      <td>
                        <span
                          className="provider-dot"
                          style={{ background: PROVIDER_COLORS[row.provider] ?? 'var(--accent)' }}
                          aria-hidden="true"
                        />
                        {row.provider}
                      </td>
                      <td title={row.regionId}>{row.regionName}</td>
                      <td className="number">{row.vcpu}</td>
                      <td className="number">{formatGiB(row.memoryGiB)}</td>
                      <td>{row.gpu ? `${row.gpu.count}× ${row.gpu.model}` : '—'}</td>
                      <td className="number">
                        {row.pricePerHour === null
                          ? t('catalog.unknownPrice')
                          : `${formatUsd(row.pricePerHour)}${t('common.perHour')}`}
                      </td>
                      <td className="number">{formatUsd(row.pricePerMonth, 0)}</td>
                      {view.results.some((entry) => entry.distanceKm !== null) ? (
                        <td className="number">{row.distanceKm === null ? '—' : `${row.distanceKm} km`}</td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      ) : null}
    </div>
  );
}
