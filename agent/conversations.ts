/**
 * Conversations persisted in the store (namespace "agent"), so "it" still means the same MCI after
 * a restart, and the web app and the CLI see the same history.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { ConversationState } from './types.ts';

export const CONVERSATION_NAMESPACE = 'agent';
export const CONVERSATION_KIND = 'conversation';
/** Turns kept per conversation; older ones are dropped (the context fields survive). */
export const MAX_TURNS = 200;

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: string;
  turns: number;
}

export class ConversationStore {
  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  async create(title = 'New conversation'): Promise<ConversationState> {
    const id = `c-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const now = this.now();
    const conversation: ConversationState = { id, title, createdAt: now, updatedAt: now, turns: [] };
    await this.store.insert(CONVERSATION_NAMESPACE, CONVERSATION_KIND, id, conversation);
    return conversation;
  }

  async get(id: string): Promise<ConversationState | undefined> {
    return (await this.store.get<ConversationState>(CONVERSATION_NAMESPACE, CONVERSATION_KIND, id))?.data;
  }

  /** The conversation, created under this id when it does not exist yet. */
  async open(id: string): Promise<ConversationState> {
    const existing = await this.get(id);
    if (existing) return existing;
    const now = this.now();
    const conversation: ConversationState = {
      id,
      title: 'New conversation',
      createdAt: now,
      updatedAt: now,
      turns: [],
    };
    await this.store.put(CONVERSATION_NAMESPACE, CONVERSATION_KIND, id, conversation);
    return conversation;
  }

  async save(conversation: ConversationState): Promise<void> {
    conversation.updatedAt = this.now();
    if (conversation.turns.length > MAX_TURNS)
      conversation.turns.splice(0, conversation.turns.length - MAX_TURNS);
    await this.store.put(CONVERSATION_NAMESPACE, CONVERSATION_KIND, conversation.id, conversation);
  }

  /** Newest first. */
  async list(): Promise<ConversationSummary[]> {
    const records = await this.store.list<ConversationState>({
      namespace: CONVERSATION_NAMESPACE,
      kind: CONVERSATION_KIND,
    });
    return records
      .map(({ data }) => ({
        id: data.id,
        title: data.title,
        updatedAt: data.updatedAt,
        turns: data.turns.length,
      }))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async delete(id: string): Promise<boolean> {
    return this.store.delete(CONVERSATION_NAMESPACE, CONVERSATION_KIND, id);
  }
}
