// What the runtime remembers about each open conversation beyond the router's
// context: names, first message, last seq; and the summary the console shows.
import type { ConversationSummary } from '../../../protocol/index.js';
import type { RouterContext } from '../../../machines/index.js';

export interface ConvInfo {
  id: string;
  visitorId: string;
  visitorName: string;
  groupId: string | null;
  scope: string;
  createdAt: number;
  lastSeq: number;
  firstMessage: string | null;
}

/** Summary with the router's live state and owner (queued/offered chats read as queued). */
export function summarize(info: ConvInfo, ctx: RouterContext, ended?: { at: number }): ConversationSummary {
  const chat = ctx.chats[info.id];
  const state: ConversationSummary['state'] = ended ? 'ended'
    : !chat || chat.phase === 'queued' || chat.phase === 'offered' ? 'queued'
    : chat.phase === 'transferring' ? 'transferring' : 'active';
  return {
    id: info.id, visitorId: info.visitorId, visitorName: info.visitorName, state, agentId: chat?.agentId ?? null,
    groupId: info.groupId, createdAt: info.createdAt, endedAt: ended ? ended.at : null, lastSeq: info.lastSeq,
    firstMessage: info.firstMessage, scope: info.scope,
  };
}
