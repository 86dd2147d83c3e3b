'use client';
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';
import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage, ConversationListItem, ConversationView } from '../../../web/chat-types.ts';
import { useT } from '../../_lib/i18n.ts';
import { useSpokenReplies } from '../../_lib/speech.ts';
import { MicButton } from '../mic-button.tsx';
import { MessageView } from './message-view.tsx';
import type { ApprovalState } from './plan-card.tsx';

function newConversationId(): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(4)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  return `c-${Date.now().toString(36)}-${random}`;
}

function conversationFromLocation(): string | undefined {
  const id = new URLSearchParams(window.location.search).get('c');
  return id && /^[A-Za-z0-9_-]{1,80}$/.test(id) ? id : undefined;
}

const YES = /^(approve|approved|yes|y|ok|okay|sure|go|승인|응|네|예|좋아|진행)/i;
const NO = /^(reject|rejected|no|n|cancel|거절|아니|취소)/i;

/** The chat: a list of past conversations, the messages with their cards, and the input. */
export function ChatPage() {
  const t = useT();
  const [conversationId, setConversationId] = useState<string>('');
  const [conversations, setConversations] = useState<ConversationListItem[]>([]);
  const [pendingApprovalId, setPendingApprovalId] = useState<string | undefined>();
  const [input, setInput] = useState('');
  const [loadError, setLoadError] = useState<string | undefined>();
  const [interim, setInterim] = useState('');
  const speakReply = useSpokenReplies();
  const bottom = useRef<HTMLDivElement>(null);

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatMessage>({
        api: '/api/chat',
        // The server keeps the conversation: only the newest message (or the approval) travels.
        prepareSendMessagesRequest: ({ id, messages, body }) => ({
          body: { id, message: messages.at(-1), ...(body ?? {}) },
        }),
      }),
    [],
  );
  const { messages, sendMessage, setMessages, status, error } = useChat<ChatMessage>({
    id: conversationId || 'pending',
    transport,
  });

  const refreshList = useCallback(async () => {
    try {
      const response = await fetch('/api/conversations', { cache: 'no-store' });
      if (response.ok) setConversations((await response.json()) as ConversationListItem[]);
    } catch {
      // the list is a convenience; the chat works without it
    }
  }, []);

  const open = useCallback(
    async (id: string | undefined) => {
      const target = id ?? newConversationId();
      setConversationId(target);
      setPendingApprovalId(undefined);
      setLoadError(undefined);
      window.history.replaceState(null, '', id ? `/?c=${encodeURIComponent(id)}` : '/');
      if (!id) {
        setMessages([]);
        return;
      }
      const response = await fetch(`/api/conversations/${encodeURIComponent(id)}`, { cache: 'no-store' });
      if (response.ok) {
        const view = (await response.json()) as ConversationView;
        setMessages(view.messages);
        setPendingApprovalId(view.pendingApprovalId);
      } else if (response.status === 404) {
        setMessages([]);
      } else {
        setLoadError(`${response.status} ${response.statusText}`);
      }
    },
    [setMessages],
  );

  useEffect(() => {
    void open(conversationFromLocation());
    void refreshList();
  }, [open, refreshList]);

  // When a reply has finished: refresh the list and, if the person wants it, read the reply aloud.
  const previousStatus = useRef(status);
  useEffect(() => {
    const finished = previousStatus.current === 'streaming' && status === 'ready';
    previousStatus.current = status;
    if (status === 'ready') void refreshList();
    if (!finished) return;
    const last = messages.at(-1);
    if (last?.role !== 'assistant') return;
    const spoken = last.parts
      .flatMap((part) =>
        part.type === 'text'
          ? [part.text]
          : part.type === 'data-question' || part.type === 'data-summary'
            ? [part.data.text]
            : part.type === 'data-error'
              ? [part.data.message]
              : [],
      )
      .join('\n');
    if (spoken) speakReply(spoken);
  }, [status, refreshList, messages, speakReply]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever the messages change
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end', behavior: 'smooth' });
  }, [messages]);

  const busy = status === 'submitted' || status === 'streaming';

  const send = useCallback(
    (text: string) => {
      const trimmed = text.trim();
      if (!trimmed || busy || !conversationId) return;
      if (window.location.search === '') window.history.replaceState(null, '', `/?c=${conversationId}`);
      void sendMessage({ text: trimmed });
      setInput('');
    },
    [busy, conversationId, sendMessage],
  );

  const answer = useCallback(
    (approvalId: string, approved: boolean) => {
      if (busy) return;
      void sendMessage(
        {
          text: t(approved ? 'plan.approve' : 'plan.reject'),
          metadata: { answered: { approvalId, approved } },
        },
        { body: { approval: { approvalId, approved } } },
      );
    },
    [busy, sendMessage, t],
  );

  const approvalState = useCallback(
    (approvalId: string): ApprovalState => {
      const index = messages.findIndex((message) =>
        message.parts.some((part) => part.type === 'data-approval' && part.data.approvalId === approvalId),
      );
      if (index < 0) return 'none';
      const reply = messages.slice(index + 1).find((message) => message.role === 'user');
      if (!reply) {
        if (
          pendingApprovalId !== undefined &&
          pendingApprovalId !== approvalId &&
          index < messages.length - 1
        )
          return 'expired';
        return busy ? 'none' : 'live';
      }
      if (reply.metadata?.answered?.approvalId === approvalId)
        return reply.metadata.answered.approved ? 'approved' : 'rejected';
      const text = reply.parts.flatMap((part) => (part.type === 'text' ? [part.text.trim()] : [])).join(' ');
      if (YES.test(text)) return 'approved';
      if (NO.test(text)) return 'rejected';
      return 'expired';
    },
    [messages, pendingApprovalId, busy],
  );

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(input);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send(input);
    }
  };

  return (
    <div className="chat-layout">
      <aside className="chat-sidebar" aria-label={t('chat.history')}>
        <button type="button" onClick={() => void open(undefined)} data-testid="new-chat">
          + {t('chat.new')}
        </button>
        <h2 className="sidebar-title">{t('chat.history')}</h2>
        {conversations.length === 0 ? <p className="muted">{t('chat.empty')}</p> : null}
        <ul className="conversation-list">
          {conversations.map((conversation) => (
            <li key={conversation.id}>
              <button
                type="button"
                className={`conversation-link${conversation.id === conversationId ? ' active' : ''}`}
                aria-current={conversation.id === conversationId ? 'true' : undefined}
                onClick={() => void open(conversation.id)}
                title={conversation.title}
              >
                {conversation.title}
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section className="chat-main">
        <div className="messages" aria-live="polite" data-testid="messages">
          {messages.length === 0 ? (
            <div className="welcome">
              <p>{t('chat.welcome')}</p>
              <p className="muted">{t('chat.examples')}:</p>
              <ul className="examples">
                {(['chat.example1', 'chat.example2', 'chat.example3'] as const).map((key) => (
                  <li key={key}>
                    <button type="button" className="secondary" onClick={() => setInput(t(key))}>
                      {t(key)}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {messages.map((message, index) => (
            <MessageView
              key={message.id}
              message={message}
              streaming={busy && index === messages.length - 1}
              approvalState={approvalState}
              onApprove={answer}
              onOption={send}
            />
          ))}
          {status === 'submitted' ? <p className="muted thinking">{t('chat.thinking')}</p> : null}
          {error ? (
            <p className="card error-card" role="alert">
              {t('common.error')}: {error.message}
            </p>
          ) : null}
          {loadError ? (
            <p className="card error-card" role="alert">
              {t('common.error')}: {loadError}
            </p>
          ) : null}
          <div ref={bottom} />
        </div>
        {interim ? (
          <p className="interim" aria-live="polite" data-testid="interim-transcript">
            {interim}
          </p>
        ) : null}
        <form className="composer" onSubmit={onSubmit}>
          <label htmlFor="chat-input" className="visually-hidden">
            {t('chat.placeholder')}
          </label>
          <textarea
            id="chat-input"
            data-testid="chat-input"
            value={input}
            onChange={(event) => setInput(event.target.value)}
            onKeyDown={onKeyDown}
            placeholder={t('chat.placeholder')}
            rows={2}
          />
          <MicButton
            disabled={busy || !conversationId}
            onInterim={setInterim}
            onFinal={(text) => {
              setInterim('');
              send(text);
            }}
          />
          <button
            type="submit"
            data-testid="chat-send"
            disabled={busy || input.trim() === '' || !conversationId}
          >
            {t('chat.send')}
          </button>
        </form>
      </section>
    </div>
  );
}
