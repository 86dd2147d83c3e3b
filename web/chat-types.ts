/**
 * The chat's message shape, shared by the server (web/chat.ts writes it) and the browser (app/ reads
 * it, type-only). Agent events become AI SDK UI message parts: text as text parts, tool calls as
 * dynamic tool parts, everything else as typed data parts the UI draws as cards.
 */
import type { UIMessage } from 'ai';
import type { PendingAction, PlanView } from '../agent/types.ts';

export interface ApprovalData {
  approvalId: string;
  plan: PlanView;
  actions: PendingAction[];
}

export interface ProgressData {
  toolName: string;
  message: string;
  progress: number;
  total?: number;
  /** The MCI the running operation works on, when known: the UI shows its nodes live. */
  mciName?: string;
  done?: boolean;
}

export interface QuestionData {
  text: string;
  options?: string[];
}

export interface SummaryData {
  text: string;
  endpoints: { name: string; url: string }[];
  mciName?: string;
}

export interface ErrorData {
  code: string;
  message: string;
  next?: string;
}

export type ChatDataParts = {
  plan: PlanView;
  approval: ApprovalData;
  progress: ProgressData;
  question: QuestionData;
  summary: SummaryData;
  error: ErrorData;
};

export interface ChatMetadata {
  conversationId?: string;
  /** The approval this user message answered (buttons), so the UI can mark the plan card. */
  answered?: { approvalId: string; approved: boolean };
  createdAt?: string;
}

export type ChatMessage = UIMessage<ChatMetadata, ChatDataParts>;

/** What the browser posts to /api/chat. */
export interface ChatRequestBody {
  /** The conversation id (the chat's id). */
  id: string;
  /** The newest user message; earlier ones live on the server. */
  message?: ChatMessage;
  /** Set when the person pressed Approve or Reject on a plan card. */
  approval?: { approvalId: string; approved: boolean };
}

export interface ConversationListItem {
  id: string;
  title: string;
  updatedAt: string;
  turns: number;
}

export interface ConversationView {
  id: string;
  title: string;
  messages: ChatMessage[];
  /** The approval still waiting, if any: only its card gets live buttons. */
  pendingApprovalId?: string;
}
