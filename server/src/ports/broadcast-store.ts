// F2 broadcasts (发布通知): to everyone, groups or persons; now, at next login,
// or at a set time. Scheduled ones are rows with sent_at NULL until due, so a
// restart loses nothing. Every method is scoped to a company.

import type { Broadcast, BroadcastAudience, BroadcastDelivery, ReceivedBroadcast } from '../../../protocol/collab-types.js';

export type { Broadcast, BroadcastAudience, BroadcastDelivery, ReceivedBroadcast };

export interface SentBroadcast extends Broadcast {
  recipients: number;
  read: number;
}

export interface NewBroadcast {
  senderId: string;
  senderName: string;
  text: string;
  audience: BroadcastAudience;
  targets: string[];
  delivery: BroadcastDelivery;
  /** for delivery 'at' */
  sendAt?: number;
}

export interface BroadcastStore {
  /** Stores it; for 'now' and 'login' the recipients are resolved at once and the result says who. Unknown targets throw NotFoundError. */
  create(companyId: string, input: NewBroadcast): Promise<{ broadcast: Broadcast; recipients: string[] }>;
  /** Claims a due scheduled broadcast (once, even with several nodes) and resolves its recipients; null when not due or already sent. */
  sendDue(companyId: string, id: number): Promise<{ broadcast: Broadcast; recipients: string[] } | null>;
  /** Cross-company: ids of scheduled broadcasts whose time has come. */
  due(limit: number): Promise<Array<{ companyId: string; id: number }>>;
  sent(companyId: string, senderId: string, opts: { limit: number }): Promise<SentBroadcast[]>;
  /** What this session may see: 'login' broadcasts only when the session began after them. */
  received(companyId: string, agentId: string, opts: { limit: number; sessionStartedAt: number }): Promise<ReceivedBroadcast[]>;
  markRead(companyId: string, agentId: string, id: number): Promise<boolean>;
  /** The groups a broadcast can name. */
  groups(companyId: string): Promise<Array<{ id: string; name: string }>>;
  /** When the session (by token) began; null when unknown. */
  sessionStartedAt(companyId: string, sessionToken: string): Promise<number | null>;
}
