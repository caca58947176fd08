// J6 words for the chat extras (files, rating, forms) in the six languages;
// kept apart from i18n.ts so each table stays readable.
import type { Lang } from '../shared/lang.js';

const en = {
  attach: 'Send a file',
  screenshot: 'Screenshot',
  uploading: 'Sending {name}…',
  uploadFailed: 'The file could not be sent.',
  declined: 'File refused by the agent',
  download: 'Download',
  rate: 'Rate this chat',
  rateTitle: 'How was our service?',
  ratePrompt: 'Your rating',
  comment: 'Comment (optional)',
  rateSend: 'Submit rating',
  rated: 'Thank you for your rating!',
  formTitle: 'Please tell us about you',
  formSend: 'Submit',
  formSaved: 'Thank you, we have your details.',
  required: 'Please fill in {field}.',
  prechatTitle: 'Before we start',
  question: 'What can we help with?',
  startChat: 'Start chat',
  close: 'Close',
} as const;

type Key = keyof typeof en;
type Dict = Record<Key, string>;

const zhCN: Dict = {
  attach: '发送文件', screenshot: '截图', uploading: '正在发送 {name}…', uploadFailed: '文件发送失败。', declined: '客服已拒收该文件',
  download: '下载', rate: '评价本次服务', rateTitle: '您对本次服务满意吗？', ratePrompt: '您的评分', comment: '留言（可选）', rateSend: '提交评价',
  rated: '感谢您的评价！', formTitle: '请留下您的信息', formSend: '提交', formSaved: '谢谢，我们已收到您的信息。', required: '请填写{field}。',
  prechatTitle: '开始对话前', question: '请选择咨询类型', startChat: '开始对话', close: '关闭',
};
const zhTW: Dict = {
  attach: '傳送檔案', screenshot: '截圖', uploading: '正在傳送 {name}…', uploadFailed: '檔案傳送失敗。', declined: '客服已拒收此檔案',
  download: '下載', rate: '評價本次服務', rateTitle: '您對本次服務滿意嗎？', ratePrompt: '您的評分', comment: '留言（選填）', rateSend: '送出評價',
  rated: '感謝您的評價！', formTitle: '請留下您的資料', formSend: '送出', formSaved: '謝謝，我們已收到您的資料。', required: '請填寫{field}。',
  prechatTitle: '開始對話前', question: '請選擇諮詢類型', startChat: '開始對話', close: '關閉',
};
const ja: Dict = {
  attach: 'ファイルを送信', screenshot: 'スクリーンショット', uploading: '{name} を送信中…', uploadFailed: 'ファイルを送信できませんでした。',
  declined: '担当者がファイルを受け取りませんでした', download: 'ダウンロード', rate: 'このチャットを評価', rateTitle: '対応はいかがでしたか？',
  ratePrompt: '評価', comment: 'コメント（任意）', rateSend: '評価を送信', rated: '評価ありがとうございました！', formTitle: 'お客様情報をご入力ください',
  formSend: '送信', formSaved: 'ありがとうございます。情報を受け付けました。', required: '{field}を入力してください。', prechatTitle: 'チャットの前に',
  question: 'ご用件をお選びください', startChat: 'チャットを開始', close: '閉じる',
};
const ko: Dict = {
  attach: '파일 보내기', screenshot: '스크린샷', uploading: '{name} 보내는 중…', uploadFailed: '파일을 보내지 못했습니다.', declined: '상담원이 파일을 거부했습니다',
  download: '다운로드', rate: '상담 평가하기', rateTitle: '상담은 만족스러우셨나요?', ratePrompt: '평점', comment: '의견 (선택)', rateSend: '평가 제출',
  rated: '평가해 주셔서 감사합니다!', formTitle: '정보를 입력해 주세요', formSend: '제출', formSaved: '감사합니다. 정보를 받았습니다.', required: '{field}을(를) 입력해 주세요.',
  prechatTitle: '상담 시작 전', question: '문의 유형을 선택하세요', startChat: '상담 시작', close: '닫기',
};
const ru: Dict = {
  attach: 'Отправить файл', screenshot: 'Снимок экрана', uploading: 'Отправка {name}…', uploadFailed: 'Не удалось отправить файл.',
  declined: 'Оператор отклонил файл', download: 'Скачать', rate: 'Оценить чат', rateTitle: 'Как вам наше обслуживание?', ratePrompt: 'Ваша оценка',
  comment: 'Комментарий (необязательно)', rateSend: 'Отправить оценку', rated: 'Спасибо за оценку!', formTitle: 'Расскажите о себе',
  formSend: 'Отправить', formSaved: 'Спасибо, мы получили ваши данные.', required: 'Заполните поле «{field}».', prechatTitle: 'Перед началом чата',
  question: 'С чем вам помочь?', startChat: 'Начать чат', close: 'Закрыть',
};

const DICTS: Record<Lang, Dict> = { 'zh-CN': zhCN, 'zh-TW': zhTW, en, ja, ko, ru };

export type ExtrasKey = Key;
export type ExtrasTranslate = (key: Key, vars?: Record<string, string>) => string;

export function extrasTranslator(lang: Lang): ExtrasTranslate {
  const dict = DICTS[lang] ?? en;
  return (key, vars) => {
    const s = dict[key] ?? en[key];
    return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? vars[k]! : m)) : s;
  };
}
