// Chat extras (issue 4 item 3, J5, L1): files both ways with decline (E2/E3),
// satisfaction rating (E8), the info form an agent pushes (E7), pre-chat answers
// (J5) and the member identity from visitor.hello (L1). The sockets call these
// with the company from the session or widget key; nothing here trusts a frame
// for who someone is.
import { ErrorCode, type Rating, type VisitorProfile } from '../../../../protocol/index.js';
import { verifyMemberToken } from '../../domain/tracking/member-identity.js';
import type { AccountStore } from '../../ports/account-store.js';
import type { ChatExtrasStore } from '../../ports/chat-extras-store.js';
import type { ConversationStore } from '../../ports/conversation-store.js';
import type { CustomerFields, CustomerStore } from '../../ports/customer-store.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../ports/errors.js';
import type { FileStore } from '../../ports/file-store.js';
import type { FileMetaStore } from '../../ports/file-meta-store.js';
import type { VisitorStore } from '../../ports/visitor-store.js';
import { publicFile } from '../../http/file-routes.js';
import type { Logger } from '../../logger.js';
import type { CompanyRouting } from '../company-routing.js';
import type { Fanout } from '../fanout.js';
import type { Ack } from '../visitor-commands.js';
import { CHAT_FORMS_KEY, storedChatForms, validateAnswers, type ChatFormsSettings } from './forms.js';
import { agentName, appendAndDeliver, consoleAudience, openChat, openConversationOf } from './routing-view.js';

export interface ChatExtrasDeps {
  store: ChatExtrasStore;
  conversations: ConversationStore;
  accounts: AccountStore;
  fileMeta: FileMetaStore;
  files: FileStore;
  /** member secret (tracking_settings) */
  visitors: Pick<VisitorStore, 'trackingSettings'>;
  customers: CustomerStore;
  fanout: Fanout;
  logger: Logger;
  now?: () => number;
}

const MAX_COMMENT = 500;
// Customer record columns an answer may fill (E7: "goes into the customer record").
const CUSTOMER_KEYS = ['name', 'phone', 'email', 'org'] as const;

export class ChatExtras {
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(private readonly d: ChatExtrasDeps) {
    this.log = d.logger.child({ component: 'chat-extras' });
    this.now = d.now ?? Date.now;
  }

  async forms(companyId: string): Promise<ChatFormsSettings> {
    return storedChatForms(await this.d.accounts.companySetting(companyId, CHAT_FORMS_KEY));
  }

  async saveForms(companyId: string, settings: ChatFormsSettings): Promise<void> {
    await this.d.accounts.setCompanySetting(companyId, CHAT_FORMS_KEY, settings);
  }

  // ---- L1 member identity ------------------------------------------------------

  /**
   * A token from visitor.hello: when its signature and times check out, the visitor
   * is that member (profile stored, agents told) and the member's display name is
   * returned; anything else is an ordinary visitor and a log line, never an error.
   */
  async member(c: CompanyRouting, visitorId: string, token: string | undefined): Promise<string | null> {
    if (!token) return null;
    try {
      return await this.verifyMember(c, visitorId, token);
    } catch (err) {
      // Identity is a nicety: a store hiccup must not keep the visitor from chatting.
      this.log.warn({ err, companyId: c.companyId, visitorId }, 'member token not checked; ordinary visitor');
      return null;
    }
  }

  private async verifyMember(c: CompanyRouting, visitorId: string, token: string): Promise<string | null> {
    const { memberSecret } = await this.d.visitors.trackingSettings(c.companyId);
    const r = verifyMemberToken(token, { secrets: [memberSecret], now: this.now() });
    if (!r.ok) {
      // Never the token itself: it is a credential until it expires.
      this.log.info({ companyId: c.companyId, visitorId, reason: r.reason }, 'member token refused; ordinary visitor');
      return null;
    }
    const m = r.member;
    const profile = await this.d.store.setMember(c.companyId, visitorId, { id: m.memberId, name: m.name, email: m.email, phone: m.phone, data: m.data });
    this.profileChanged(c, visitorId, profile);
    return m.name ?? `Member ${m.memberId}`.slice(0, 64);
  }

  // ---- E2/E3 files -------------------------------------------------------------

  async visitorFile(c: CompanyRouting, visitorId: string, conversationId: string, clientMsgId: string, fileKey: string): Promise<Ack> {
    const chat = openChat(c, conversationId);
    if (!chat || chat.visitorId !== visitorId) throw new NotFoundError('conversation');
    const meta = await this.ownFile(c.companyId, conversationId, fileKey, 'visitor', visitorId);
    const r = await appendAndDeliver(c, {
      conversationId, sender: 'visitor', senderId: visitorId, senderName: chat.visitorName, text: meta.name, clientMsgId, attachment: publicFile(meta),
    });
    return { conversationId, clientMsgId, seq: r.message.seq, at: r.message.at };
  }

  async agentFile(c: CompanyRouting, agentId: string, conversationId: string, clientMsgId: string, fileKey: string): Promise<Ack> {
    this.ownChat(c, agentId, conversationId);
    const meta = await this.ownFile(c.companyId, conversationId, fileKey, 'agent', agentId);
    const r = await appendAndDeliver(c, {
      conversationId, sender: 'agent', senderId: agentId, senderName: agentName(c, agentId), text: meta.name, clientMsgId, attachment: publicFile(meta),
    });
    return { conversationId, clientMsgId, seq: r.message.seq, at: r.message.at };
  }

  /** The chat's agent refuses a visitor's file: the bytes go, the row and message say "declined". */
  async declineFile(c: CompanyRouting, agentId: string, conversationId: string, fileKey: string): Promise<void> {
    const chat = this.ownChat(c, agentId, conversationId);
    const meta = await this.d.fileMeta.fileMeta(c.companyId, fileKey);
    if (!meta || meta.conversationId !== conversationId) throw new NotFoundError('file');
    if (meta.uploader !== 'visitor') throw new ConflictError('only a visitor\'s file can be declined');
    if (!meta.declined) {
      await this.d.fileMeta.decline(c.companyId, fileKey);
      await this.d.files.delete(c.companyId, fileKey);
      if (meta.thumbKey) await this.d.files.delete(c.companyId, meta.thumbKey);
      await this.d.store.declineAttachment(c.companyId, conversationId, fileKey);
    }
    this.d.fanout.toVisitor(c.companyId, chat.visitorId, { v: 1, type: 'file.declined', conversationId, fileKey });
    for (const a of consoleAudience(c, agentId)) this.d.fanout.toAgent(c.companyId, a, { v: 1, type: 'file.declined', conversationId, fileKey });
  }

  // ---- E8 rating ---------------------------------------------------------------

  pushRating(c: CompanyRouting, agentId: string, conversationId: string): void {
    const chat = this.ownChat(c, agentId, conversationId);
    this.d.fanout.toVisitor(c.companyId, chat.visitorId, { v: 1, type: 'rating.requested', conversationId });
  }

  /** During or after the chat; a later rating replaces the earlier one. */
  async rate(c: CompanyRouting, visitorId: string, conversationId: string, score: number, comment: string | undefined): Promise<Rating> {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw new AppError(ErrorCode.BadRequest, 'score is 1 to 5');
    const conv = await this.d.conversations.get(c.companyId, conversationId);
    if (!conv || conv.visitorId !== visitorId) throw new NotFoundError('conversation');
    const text = (comment ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim().slice(0, MAX_COMMENT);
    const agentId = openChat(c, conversationId)?.agentId ?? conv.agentId;
    const rating = await this.d.store.saveRating(c.companyId, conversationId, { score, comment: text, agentId });
    for (const a of consoleAudience(c, agentId)) this.d.fanout.toAgent(c.companyId, a, { v: 1, type: 'conversation.rated', conversationId, rating });
    return rating;
  }

  // ---- E7 info form / J5 pre-chat answers --------------------------------------

  async pushForm(c: CompanyRouting, agentId: string, conversationId: string): Promise<void> {
    const chat = this.ownChat(c, agentId, conversationId);
    const { infoForm } = await this.forms(c.companyId);
    this.d.fanout.toVisitor(c.companyId, chat.visitorId, { v: 1, type: 'form.requested', conversationId, fields: infoForm.fields });
  }

  async submitForm(c: CompanyRouting, visitorId: string, conversationId: string, input: Record<string, string>): Promise<VisitorProfile> {
    const conv = await this.d.conversations.get(c.companyId, conversationId);
    if (!conv || conv.visitorId !== visitorId) throw new NotFoundError('conversation');
    const checked = validateAnswers(await this.forms(c.companyId), input);
    if ('error' in checked) throw new AppError(ErrorCode.BadRequest, checked.error);
    const profile = await this.d.store.mergeFields(c.companyId, visitorId, checked.fields);
    await this.toCustomer(c.companyId, visitorId, checked.fields);
    this.profileChanged(c, visitorId, profile, conversationId);
    return profile;
  }

  /** What the console shows next to a chat (REST, when a chat is opened). */
  async conversationExtras(companyId: string, conversationId: string): Promise<{ rating: Rating | null; profile: VisitorProfile }> {
    const conv = await this.d.conversations.get(companyId, conversationId);
    if (!conv) throw new NotFoundError('conversation');
    const [rating, profile] = await Promise.all([this.d.store.rating(companyId, conversationId), this.d.store.profile(companyId, conv.visitorId)]);
    return { rating, profile };
  }

  // ---- helpers -----------------------------------------------------------------

  private ownChat(c: CompanyRouting, agentId: string, conversationId: string) {
    const chat = openChat(c, conversationId);
    if (!chat) throw new NotFoundError('conversation');
    if (chat.agentId !== agentId) throw new ForbiddenError('this chat is not yours');
    return chat;
  }

  /** The upload must belong to this conversation and sender; other files look missing. */
  private async ownFile(companyId: string, conversationId: string, fileKey: string, uploader: 'agent' | 'visitor', id: string) {
    const meta = await this.d.fileMeta.fileMeta(companyId, fileKey);
    if (!meta || meta.conversationId !== conversationId || meta.uploader !== uploader || meta.uploaderId !== id) throw new NotFoundError('file');
    if (meta.declined) throw new ConflictError('file was declined');
    return meta;
  }

  private async toCustomer(companyId: string, visitorId: string, answers: Record<string, string>): Promise<void> {
    const patch: Partial<CustomerFields> = {};
    for (const k of CUSTOMER_KEYS) if (answers[k]) patch[k] = answers[k]!.slice(0, k === 'org' ? 100 : 64);
    if (Object.keys(patch).length === 0) return;
    const existing = await this.d.customers.byVisitor(companyId, visitorId);
    try {
      if (existing) {
        const { name, gender, phone, email, org, remarks } = existing;
        await this.d.customers.update(companyId, existing.id, { name, gender, phone, email, org, remarks, ...patch }, []);
      } else {
        await this.d.customers.create(companyId, 'visitor', { name: '', gender: '', phone: '', email: '', org: '', remarks: '', ...patch }, [visitorId]);
      }
    } catch (err) {
      // The profile already holds the answers; a customer-record failure must not lose them.
      this.log.warn({ err, companyId, visitorId }, 'form answers not copied to the customer record');
    }
  }

  private profileChanged(c: CompanyRouting, visitorId: string, profile: VisitorProfile, conversationId?: string): void {
    const id = conversationId ?? openConversationOf(c, visitorId);
    if (!id) return;
    const chat = openChat(c, id);
    for (const a of consoleAudience(c, chat?.agentId ?? null)) this.d.fanout.toAgent(c.companyId, a, { v: 1, type: 'visitor.profile', conversationId: id, visitorId, profile });
  }
}
