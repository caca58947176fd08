// 自动分配 settings: GET/PUT /api/v1/settings/routing (admin or 'settings').
import { request } from './http';

export interface RoutingSettings {
  autoAssign: boolean;
  mode: 'service' | 'sales';
  preferLastAgent: boolean;
  preferLastAgentMs: number;
  offerTimeoutMs: number;
  transferTimeoutMs: number;
  idleAwayMs: number;
  texts: { welcome: string; waiting: string; busy: string; closing: string };
}

export const getRoutingSettings = () => request<RoutingSettings>('GET', '/api/v1/settings/routing');
export const putRoutingSettings = (patch: Partial<RoutingSettings>) => request<RoutingSettings>('PUT', '/api/v1/settings/routing', { body: patch });
