// Chat extras kept with a conversation or a visitor: the satisfaction rating
// (E8), the visitor profile (L1 member identity, E7/J5 form answers) and the
// declined flag on a message's attachment (E2). Every method is scoped to a company.
import type { Rating, VisitorProfile } from '../../../protocol/index.js';

export interface ChatExtrasStore {
  /** Upserts: the visitor may rate again, the last rating counts. */
  saveRating(companyId: string, conversationId: string, rating: { score: number; comment: string; agentId: string | null }): Promise<Rating>;
  rating(companyId: string, conversationId: string): Promise<Rating | null>;
  /** Empty profile for a visitor never seen. */
  profile(companyId: string, visitorId: string): Promise<VisitorProfile>;
  setMember(companyId: string, visitorId: string, member: VisitorProfile['member']): Promise<VisitorProfile>;
  /** Merges answers into the stored ones (later answers win per field). */
  mergeFields(companyId: string, visitorId: string, fields: Record<string, string>): Promise<VisitorProfile>;
  /** Marks the attachment of every message of the conversation carrying this file as declined. */
  declineAttachment(companyId: string, conversationId: string, fileKey: string): Promise<void>;
}
