// Routing controls: 传送对话, offers, 监控客服, 自动分配 (terms from GLOSSARY.md).
export default {
  routing: {
    transfer: {
      button: '传送对话', title: '传送对话', pick: '选择在线客服', none: '没有其他在线客服', load: '{load}/{cap}', busy: '已满',
      send: '传送', sent: '已发出传送请求，等待 {name} 响应',
      offers: '响应传送', offerTitle: '响应传送', from: '{name} 将对话传送给你', history: '查看已有对话记录',
      accept: '接受传送', reject: '拒绝', left: '剩余 {s} 秒',
      result: { accepted: '{name} 已接受传送', rejected: '{name} 拒绝了传送', timeout: '{name} 未响应，对话仍由你负责', cancelled: '传送已取消' },
    },
    offer: { title: '新对话分配给你', accept: '接入', decline: '拒绝', left: '剩余 {s} 秒' },
    monitor: {
      button: '监控客服', pick: '选择客服', start: '监控', stop: '取消监控', list: '监控中的对话', none: '暂无监控中的对话',
      banner: '正在监控 {name} 的对话', whisper: '悄悄提示客服（访客看不到）', send: '发送', takeover: '接管', whispers: '主管提示',
    },
    invite: { button: '邀请访客', chat: '主动对话', sent: '邀请已发送', greeting: '邀请语（可选）' },
    settings: {
      nav: '自动分配', title: '自动分配', autoAssign: '自动分配', mode: '分配方式', service: '客服型', sales: '销售型',
      serviceHint: '按当前对话数均衡分配', salesHint: '按今日接入数均衡分配',
      preferLast: '优先分配给上次对话的客服', preferWait: '等待上次客服（秒）', offerTimeout: '接入超时（秒）',
      transferTimeout: '传送超时（秒）', save: '保存', saved: '已保存',
    },
  },
};
