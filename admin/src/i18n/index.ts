// zh-CN when the browser prefers Chinese, else en; the choice is remembered.
import { createI18n } from 'vue-i18n';
import zhCollab from './zh-CN-collab';
import enCollab from './en-collab';
import zhCN from './zh-CN';
import en from './en';
import zhReports from './zh-CN-reports';
import enReports from './en-reports';
import zhCN2 from './zh-CN-console2';
import en2 from './en-console2';
import { visitorsEn, visitorsZhCN } from './visitors';
import zhRouting from './zh-CN-routing';
import enRouting from './en-routing';
import { presenceEn, presenceZhCN } from './presence';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'sb.locale';

export function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  return langs.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { 'zh-CN': { ...zhCN, ...zhCN2, ...visitorsZhCN }, en: { ...en, ...en2, ...visitorsEn } },
});

i18n.global.mergeLocaleMessage('zh-CN', zhReports);
i18n.global.mergeLocaleMessage('en', enReports);
i18n.global.mergeLocaleMessage('zh-CN', presenceZhCN);
i18n.global.mergeLocaleMessage('en', presenceEn);

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

i18n.global.mergeLocaleMessage('zh-CN', zhCollab);
i18n.global.mergeLocaleMessage('en', enCollab);
i18n.global.mergeLocaleMessage('zh-CN', zhRouting);
i18n.global.mergeLocaleMessage('en', enRouting);
