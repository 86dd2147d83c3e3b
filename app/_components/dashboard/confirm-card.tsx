'use client';
// The confirmation the tools demand, drawn from the API's review: what happens to which nodes
// and what it does to the cost. Nothing runs until Approve.
import { useEffect, useRef } from 'react';
import type { MciActionReview } from '../../../web/dashboard-types.ts';
import { type MessageKey, useT } from '../../_lib/i18n.ts';
import { formatUsd } from './format.ts';

const ACTION_LABEL: Record<MciActionReview['action'], MessageKey> = {
  suspend: 'mci.suspend',
  resume: 'mci.resume',
  reboot: 'mci.reboot',
  delete: 'mci.delete',
};

const WHAT: Record<MciActionReview['action'], MessageKey> = {
  suspend: 'confirm.what.suspend',
  resume: 'confirm.what.resume',
  reboot: 'confirm.what.reboot',
  delete: 'confirm.what.delete',
};

export function actionLabel(action: MciActionReview['action']): MessageKey {
  return ACTION_LABEL[action];
}

export interface ConfirmCardProps {
  review: MciActionReview;
  busy: boolean;
  onApprove(): void;
  onReject(): void;
}

export function ConfirmCard({ review, busy, onApprove, onReject }: ConfirmCardProps) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the question, not somewhere above it.
  useEffect(() => heading.current?.focus(), []);
  const change = review.pricePerHourChange;
  const changeText =
    change === null || Math.abs(change) < 1e-9
      ? t('confirm.same')
      : change < 0
        ? t('confirm.saves', { price: `${formatUsd(-change)}${t('common.perHour')}` })
        : t('confirm.adds', { price: `${formatUsd(change)}${t('common.perHour')}` });
  return (
    <section
      className={`card confirm-card${review.destructive ? ' destructive' : ''}`}
      data-testid="confirm-card"
      aria-labelledby="confirm-heading"
    >
      <h2 id="confirm-heading" ref={heading} tabIndex={-1}>
        {t('confirm.title', { action: t(ACTION_LABEL[review.action]), name: review.mciName })}
      </h2>
      <p>
        {t(WHAT[review.action], { count: review.nodes.length })}
        {review.action === 'delete' ? <strong> {t('confirm.irreversible')}</strong> : null}
      </p>
      <dl className="confirm-facts">
        <dt>{t('confirm.nodes')}</dt>
        <dd>{review.nodes.join(', ') || '—'}</dd>
        <dt>{t('confirm.costNow')}</dt>
        <dd>
          {formatUsd(review.pricePerHour)}
          {t('common.perHour')}
        </dd>
        <dt>{t('confirm.costChange')}</dt>
        <dd>{changeText}</dd>
      </dl>
      <details>
        <summary>{t('confirm.details')}</summary>
        <p>{review.summary}</p>
        <p className="muted">{review.costNote}</p>
      </details>
      <div className="dialog-actions">
        <button
          type="button"
          className="secondary"
          onClick={onReject}
          disabled={busy}
          data-testid="confirm-reject"
        >
          {t('confirm.reject')}
        </button>
        <button
          type="button"
          className={review.destructive ? 'danger' : undefined}
          onClick={onApprove}
          disabled={busy}
          data-testid="confirm-approve"
        >
          {busy ? t('confirm.running') : t('confirm.approve')}
        </button>
      </div>
    </section>
  );
}
