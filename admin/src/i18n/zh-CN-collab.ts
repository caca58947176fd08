// 内部协同：客服对话 (F1)、发布通知 (F2)、客服管理 (A5)。
export default {
  collab: {
    nav: { chat: '客服对话', broadcasts: '发布通知', agents: '客服管理' },
    unread: '客服对话未读',
    chat: {
      colleagues: '客服列表', none: '暂无其他客服', pick: '选择一位客服开始对话',
      fileTag: '文件', placeholder: '输入消息（Enter 发送）', send: '发送', file: '传送文件', noStatus: '状态未知',
      empty: '暂无消息', disabled: '已禁用', newMessage: '{name} 发来新消息', sent: '已发送', read: '已读',
    },
    broadcasts: {
      compose: '发送通知', sent: '已发通知', received: '已接通知', text: '发送内容', audience: '接受对象', delivery: '发送类型',
      all: '全部', groups: '指定到分组', agents: '指定到人', now: '即时发送', login: '登录时发送', at: '定时发送',
      sendAt: '发送时间', submit: '发送', done: '已发送给 {n} 位客服', scheduled: '已定时', noGroups: '暂无分组',
      recipients: '接收人数', readCount: '已读', from: '发送人', markRead: '标为已读', unread: '未读', empty: '暂无通知',
      popupTitle: '{name} 发布的通知', pending: '定时于 {time}', panel: '通知',
    },
    agents: {
      title: '客服管理', add: '添加客服', edit: '修改', id: '客服 ID', name: '姓名', password: '密码', newPassword: '新密码（可不填）',
      role: '角色', admin: '管理员', agent: '客服', permissions: '权限', maxChats: '对话上限', autoAccept: '自动接收对话',
      status: '状态', disable: '禁用', enable: '启用', delete: '删除', confirmDelete: '删除客服 {id}？其客服对话记录也将删除。',
      disabled: '已禁用', saved: '已保存', created: '已添加客服', adminFixed: '管理员拥有一切权限，不可更改',
      revoked: '管理员修改了您的权限', disabledSelf: '您的账号已被管理员禁用',
      perm: {
        accept_chats: '接受对话', view_agents: '查看其他客服', transfer: '传送对话', monitor: '监控客服', manage_agents: '客服管理',
        manage_groups: '分组管理', customers_view: '查看客户', customers_edit: '编辑客户', customers_assign: '分配客户',
        canned_responses: '常用语', blocking: '访客阻止', settings: '设置', analytics: '统计报表', export: '导出',
      },
    },
  },
};
