'use client';
import type { PlanView } from '../../../agent/types.ts';
import { useT } from '../../_lib/i18n.ts';
import { formatUsd } from './format.ts';

export type ApprovalState = 'live' | 'approved' | 'rejected' | 'expired' | 'none';

export function PlanCard({
  plan,
  approval,
  onAnswer,
}: {
  plan: PlanView;
  approval: ApprovalState;
  onAnswer?: (approved: boolean) => void;
}) {
  const t = useT();
  return (
    <section className={`card plan-card${plan.destructive ? ' destructive' : ''}`} data-testid="plan-card">
      <header className="plan-header">
        <h3>
          <span className="muted">{t('plan.title')}:</span> {plan.title}
        </h3>
        {plan.pricePerHour > 0 ? (
          <div className="plan-cost" data-testid="plan-cost">
            <strong>{formatUsd(plan.pricePerHour)}</strong>
            {t('common.perHour')}{' '}
            <span className="muted">
              ≈ {formatUsd(plan.pricePerMonth, 0)}
              {t('common.perMonth')}
            </span>
          </div>
        ) : null}
      </header>
      {plan.destructive ? <p className="plan-warning">⚠ {t('plan.destructive')}</p> : null}
      {plan.groups.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('plan.where')}</th>
                <th>{t('plan.spec')}</th>
                <th>{t('plan.shape')}</th>
                <th className="number">{t('plan.nodes')}</th>
                <th className="number">$/h</th>
              </tr>
            </thead>
            <tbody>
              {plan.groups.map((group) => (
                <tr key={`${group.group}-${group.specId}`}>
                  <td>
                    <span className={`provider-tag provider-${group.provider}`}>{group.provider}</span>{' '}
                    {group.regionName || group.regionId}
                  </td>
                  <td>
                    <code>{group.specId.split('+').at(-1)}</code>
                  </td>
                  <td>{group.shape}</td>
                  <td className="number">{group.count}</td>
                  <td className="number">{formatUsd(group.pricePerHour)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {plan.steps.length > 0 ? (
        <details className="plan-steps" open={plan.groups.length === 0}>
          <summary>
            {t('plan.steps')} ({plan.steps.length})
          </summary>
          <ol>
            {plan.steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </details>
      ) : null}
      {plan.risks.length > 0 ? (
        <div className="plan-risks">
          <strong>{t('plan.risks')}</strong>
          <ul>
            {plan.risks.map((risk) => (
              <li key={risk}>{risk}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.notes.length > 0 ? (
        <details className="plan-notes">
          <summary>{t('plan.notes')}</summary>
          <ul>
            {plan.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {approval === 'live' && onAnswer ? (
        <div className="plan-actions">
          <button
            type="button"
            className={plan.destructive ? 'danger' : undefined}
            data-testid="plan-approve"
            onClick={() => onAnswer(true)}
          >
            {t('plan.approve')}
          </button>
          <button
            type="button"
            className="secondary"
            data-testid="plan-reject"
            onClick={() => onAnswer(false)}
          >
            {t('plan.reject')}
          </button>
        </div>
      ) : approval === 'approved' || approval === 'rejected' || approval === 'expired' ? (
        <p className={`plan-answer ${approval}`} data-testid="plan-answer">
          {t(`plan.${approval}`)}
        </p>
      ) : null}
    </section>
  );
}
