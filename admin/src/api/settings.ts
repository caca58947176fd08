// B4 per-agent settings.
import { request } from './http';

export interface AgentSettings {
  sendKey: 'enter' | 'ctrlEnter';
  nextChatShortcut: string;
  switchAfterSend: boolean;
  notifySound: boolean;
  notifyPopup: boolean;
  visitorColumns: string[];
}

export const DEFAULT_SETTINGS: AgentSettings = {
  sendKey: 'enter', nextChatShortcut: 'Alt+Z', switchAfterSend: false, notifySound: true, notifyPopup: true, visitorColumns: [],
};

export const getSettings = () => request<{ settings: AgentSettings }>('GET', '/api/v1/me/settings');
export const saveSettings = (patch: Partial<AgentSettings>) =>
  request<{ settings: AgentSettings }>('PUT', '/api/v1/me/settings', { body: patch });
