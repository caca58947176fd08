// Offline messages (G2) and the company's offline form (J4). Every method is
// scoped to a company. Field values are stored as the visitor typed them: they
// are text, and escaping is the job of whoever displays them.
export const OFFLINE_REASONS = ['busy', 'offline', 'outside_service'] as const;
export type OfflineReason = (typeof OFFLINE_REASONS)[number];

export interface OfflineFormField {
  /** name, phone, email, content, or a custom id (a-z, 0-9, _) */
  id: string;
  label: string;
  required: boolean;
  maxLength: number;
}

export interface WidgetSettings {
  offlineForm: { fields: OfflineFormField[] };
  /** texts on the widget icon per state */
  iconTexts: { online: string; offline: string };
}

export interface NewOfflineMessage {
  reason: OfflineReason;
  fields: Record<string, string>;
  visitorId: string;
  sourceUrl: string;
  ip: string;
  region: string;
  engine: string;
  keyword: string;
}

export interface OfflineMessage extends NewOfflineMessage {
  id: string;
  createdAt: number;
  type: string;
  replied: boolean;
  repliedBy: string | null;
  repliedAt: number | null;
}

export interface OfflineMessageFilter {
  /** epoch ms, inclusive */
  from?: number;
  /** epoch ms, exclusive */
  to?: number;
  reason?: OfflineReason;
  replied?: boolean;
  type?: string;
  limit: number;
  offset: number;
}

export interface OfflineMessageStore {
  /** The company's settings with defaults filled in. */
  widgetSettings(companyId: string): Promise<WidgetSettings>;
  saveWidgetSettings(companyId: string, settings: WidgetSettings): Promise<void>;
  insert(companyId: string, msg: NewOfflineMessage): Promise<OfflineMessage>;
  list(companyId: string, filter: OfflineMessageFilter): Promise<{ items: OfflineMessage[]; total: number }>;
  /** null when there is no such message */
  setReplied(companyId: string, id: string, replied: boolean, by: string): Promise<OfflineMessage | null>;
  unrepliedCount(companyId: string): Promise<number>;
}

/** What a company has before it changes anything: content is the one required field. */
export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = {
  offlineForm: {
    fields: [
      { id: 'name', label: '姓名', required: false, maxLength: 50 },
      { id: 'phone', label: '电话', required: false, maxLength: 32 },
      { id: 'email', label: '邮箱', required: false, maxLength: 254 },
      { id: 'content', label: '留言内容', required: true, maxLength: 2000 },
    ],
  },
  iconTexts: { online: '在线咨询', offline: '给我们留言' },
};
