'use client';
import type { DynamicToolUIPart } from 'ai';
import type { ChatMessage } from '../../../web/chat-types.ts';
import { useT } from '../../_lib/i18n.ts';
import { Markdown } from './markdown.tsx';
import { type ApprovalState, PlanCard } from './plan-card.tsx';
import { ProgressCard } from './progress-card.tsx';
import { SummaryCard } from './summary-card.tsx';
import { ToolGroup } from './tool-card.tsx';

export interface MessageViewProps {
  message: ChatMessage;
  /** True while this message is the one streaming in. */
  streaming: boolean;
  approvalState: (approvalId: string) => ApprovalState;
  onApprove: (approvalId: string, approved: boolean) => void;
  onOption: (text: string) => void;
}

export function MessageView({ message, streaming, approvalState, onApprove, onOption }: MessageViewProps) {
  const t = useT();
  if (message.role === 'user') {
    const text = message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
    return (
      <article className="message user" data-testid="user-message">
        <span className="visually-hidden">{t('chat.you')}: </span>
        <p>{text}</p>
      </article>
    );
  }
  // The approval card carries the plan; a plan part before it would show the same twice.
  const hasApproval = message.parts.some((part) => part.type === 'data-approval');
  // Runs of tool calls fold into one line ("✓ listMCIs · searchSpecs · reviewMCI"), open on demand.
  const blocks: (
    | { kind: 'tools'; parts: DynamicToolUIPart[]; index: number }
    | { kind: 'part'; index: number }
  )[] = [];
  for (const [index, part] of message.parts.entries()) {
    const last = blocks.at(-1);
    if (part.type === 'dynamic-tool') {
      if (last?.kind === 'tools') last.parts.push(part);
      else blocks.push({ kind: 'tools', parts: [part], index });
    } else blocks.push({ kind: 'part', index });
  }
  return (
    <article className="message assistant" data-testid="assistant-message">
      <span className="visually-hidden">{t('chat.assistant')}: </span>
      {blocks.map((block) => {
        const key = `${message.id}-${block.index}`;
        if (block.kind === 'tools') return <ToolGroup key={key} parts={block.parts} />;
        const part = message.parts[block.index];
        if (!part) return null;
        switch (part.type) {
          case 'text':
            return <Markdown key={key} text={part.text} />;
          case 'data-plan':
            return hasApproval ? null : <PlanCard key={key} plan={part.data} approval="none" />;
          case 'data-approval':
            return (
              <PlanCard
                key={key}
                plan={part.data.plan}
                approval={approvalState(part.data.approvalId)}
                onAnswer={(approved) => onApprove(part.data.approvalId, approved)}
              />
            );
          case 'data-progress':
            return <ProgressCard key={key} progress={part.data} live={streaming} />;
          case 'data-question':
            return (
              <section key={key} className="card question-card" data-testid="question-card">
                <Markdown text={part.data.text} />
                {part.data.options?.length ? (
                  <div className="question-options">
                    {part.data.options.map((option) => (
                      <button
                        key={option}
                        type="button"
                        className="secondary"
                        onClick={() => onOption(option)}
                      >
                        {option}
                      </button>
                    ))}
                  </div>
                ) : null}
              </section>
            );
          case 'data-summary':
            return <SummaryCard key={key} summary={part.data} />;
          case 'data-error':
            return (
              <section key={key} className="card error-card" role="alert" data-testid="error-card">
                <strong>{part.data.code}</strong>: {part.data.message}
                {part.data.next ? (
                  <p className="muted">
                    {t('error.next')}: {part.data.next}
                  </p>
                ) : null}
              </section>
            );
          default:
            return null;
        }
      })}
    </article>
  );
}
