'use client';
import type { DynamicToolUIPart } from 'ai';
import { useT } from '../../_lib/i18n.ts';
import { compactJson } from './format.ts';

/** A compact line per tool call: what ran, its key arguments, and the result in one line. */
export function ToolCard({ part }: { part: DynamicToolUIPart }) {
  const t = useT();
  const failed = part.state === 'output-error';
  const done = part.state === 'output-available';
  const summary = failed
    ? part.errorText
    : done && part.output && typeof part.output === 'object' && 'summary' in part.output
      ? String((part.output as { summary: unknown }).summary)
      : undefined;
  return (
    <details className={`tool-card${failed ? ' failed' : ''}`} data-testid="tool-card">
      <summary>
        <span
          className="tool-state"
          role="img"
          aria-label={failed ? t('tool.failed') : done ? t('tool.ran') : t('tool.running')}
        >
          {failed ? '✗' : done ? '✓' : '…'}
        </span>
        <code className="tool-name">{part.toolName}</code>
        <span className="tool-args muted">{compactJson(part.input, 90)}</span>
        {summary ? <span className="tool-summary">{summary}</span> : null}
      </summary>
      <pre>{JSON.stringify(part.input, null, 2)}</pre>
    </details>
  );
}

/** Consecutive tool calls as one line; a single call shows as its own card. */
export function ToolGroup({ parts }: { parts: DynamicToolUIPart[] }) {
  const t = useT();
  const [only] = parts;
  if (parts.length === 1 && only) return <ToolCard part={only} />;
  const failed = parts.some((part) => part.state === 'output-error');
  const running = parts.some((part) => part.state === 'input-available' || part.state === 'input-streaming');
  return (
    <details className={`tool-group${failed ? ' failed' : ''}`} data-testid="tool-group">
      <summary>
        <span className="tool-state">{failed ? '✗' : running ? '…' : '✓'}</span>{' '}
        {t('tool.calls', { count: parts.length })}:{' '}
        <span className="muted">{parts.map((part) => part.toolName).join(' · ')}</span>
      </summary>
      <div className="tool-group-items">
        {parts.map((part) => (
          <ToolCard key={part.toolCallId} part={part} />
        ))}
      </div>
    </details>
  );
}
