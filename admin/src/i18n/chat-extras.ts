// Console words for the chat extras (files, rating, forms, member); merged into
// the app's i18n when the chat-extras store loads, so no shared file changes.
import { i18n } from './index';

const en = {
  extras: {
    attach: 'Send file',
    uploading: 'Sending {name}…',
    uploadFailed: 'The file could not be sent: {message}',
    decline: 'Decline',
    declined: 'Declined',
    confirmDecline: 'Decline {name}? The visitor will see it was refused and the file is deleted.',
    download: 'Download',
    pushRating: 'Ask for rating',
    pushForm: 'Ask for details',
    pushed: 'Sent to the visitor',
    rating: 'Rating',
    notRated: 'Not rated',
    member: 'Member',
    memberId: 'Member ID',
    details: 'Visitor details',
  },
};
const zhCN = {
  extras: {
    attach: '发送文件',
    uploading: '正在发送 {name}…',
    uploadFailed: '文件发送失败：{message}',
    decline: '拒收',
    declined: '已拒收',
    confirmDecline: '拒收 {name}？访客会看到文件被拒收，文件将被删除。',
    download: '下载',
    pushRating: '邀请评价',
    pushForm: '请访客留资料',
    pushed: '已发送给访客',
    rating: '满意度',
    notRated: '未评价',
    member: '会员',
    memberId: '会员 ID',
    details: '访客资料',
  },
};

i18n.global.mergeLocaleMessage('en', en);
i18n.global.mergeLocaleMessage('zh-CN', zhCN);
