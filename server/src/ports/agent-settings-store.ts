// Per-agent console settings (B4), stored as one validated document per agent.
export interface AgentSettings {
  sendKey: 'enter' | 'ctrlEnter';
  /** e.g. "Alt+Z": modifiers in the order Ctrl, Alt, Shift, Meta, then one key */
  nextChatShortcut: string;
  switchAfterSend: boolean;
  notifySound: boolean;
  notifyPopup: boolean;
  /** C1 visitor-list columns in order (used by the visitor list, later) */
  visitorColumns: string[];
}

export const DEFAULT_AGENT_SETTINGS: AgentSettings = {
  sendKey: 'enter',
  nextChatShortcut: 'Alt+Z',
  switchAfterSend: false,
  notifySound: true,
  notifyPopup: true,
  visitorColumns: [],
};

export interface AgentSettingsStore {
  /** defaults filled in for anything not stored */
  get(companyId: string, agentId: string): Promise<AgentSettings>;
  save(companyId: string, agentId: string, settings: AgentSettings): Promise<AgentSettings>;
}
