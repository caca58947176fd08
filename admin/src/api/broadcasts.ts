// F2 broadcasts (发布通知) REST calls.
import type { Broadcast, BroadcastAudience, BroadcastDelivery, ReceivedBroadcast } from '../../../protocol/collab-types';
import { request } from './http';

export interface SentBroadcast extends Broadcast { recipients: number; read: number }
export interface NewBroadcast { text: string; audience: BroadcastAudience; targets?: string[]; delivery: BroadcastDelivery; sendAt?: number }

export const received = () => request<{ items: ReceivedBroadcast[] }>('GET', '/api/v1/broadcasts/received');
export const sent = () => request<{ items: SentBroadcast[] }>('GET', '/api/v1/broadcasts/sent');
export const targets = () => request<{ groups: Array<{ id: string; name: string }>; agents: Array<{ id: string; name: string }> }>('GET', '/api/v1/broadcasts/targets');
export const create = (body: NewBroadcast) => request<{ broadcast: Broadcast; recipients: number }>('POST', '/api/v1/broadcasts', { body });
export const markRead = (id: number) => request<{ ok: true }>('POST', `/api/v1/broadcasts/${id}/read`);
