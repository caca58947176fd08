// The few words the loader's chat icon needs, kept apart from the window's
// dictionary so the loader stays a few kilobytes.
import type { Lang } from './lang.js';
import type { IconState } from './bridge.js';

/** `na`: C4, outside the service regions with the icon shown disabled */
type Labels = Record<IconState | 'na', string> & { close: string };

export const ICON_LABELS: Record<Lang, Labels> = {
  'zh-CN': { online: '在线咨询', busy: '客服忙碌', offline: '给我们留言', close: '关闭', na: '暂不提供服务' },
  'zh-TW': { online: '線上諮詢', busy: '客服忙碌', offline: '給我們留言', close: '關閉', na: '暫不提供服務' },
  en: { online: 'Chat with us', busy: 'We are busy', offline: 'Leave a message', close: 'Close', na: 'Chat not available' },
  ja: { online: 'チャットで相談', busy: 'ただいま混雑中', offline: 'メッセージを残す', close: '閉じる', na: 'ご利用いただけません' },
  ko: { online: '채팅 상담', busy: '상담 대기 중', offline: '메시지 남기기', close: '닫기', na: '이용할 수 없습니다' },
  ru: { online: 'Написать нам', busy: 'Все заняты', offline: 'Оставить сообщение', close: 'Закрыть', na: 'Чат недоступен' },
};
