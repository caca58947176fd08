// Internal collaboration: agent chat (F1), broadcasts (F2), agent management (A5).
export default {
  collab: {
    nav: { chat: 'Agent chat', broadcasts: 'Broadcasts', agents: 'Agents' },
    unread: 'Agent chat unread',
    chat: {
      colleagues: 'Colleagues', none: 'No other agents yet', pick: 'Pick a colleague to chat with',
      fileTag: 'File', placeholder: 'Message (Enter to send)', send: 'Send', file: 'Send file', noStatus: 'Status unknown',
      empty: 'No messages yet', disabled: 'Disabled', newMessage: 'New message from {name}', sent: 'Sent', read: 'Read',
    },
    broadcasts: {
      compose: 'Send', sent: 'Sent', received: 'Received', text: 'Content', audience: 'Recipients', delivery: 'When',
      all: 'Everyone', groups: 'Groups', agents: 'Persons', now: 'Now', login: 'At next login', at: 'At a set time',
      sendAt: 'Send at', submit: 'Send', done: 'Sent to {n} agents', scheduled: 'Scheduled', noGroups: 'No groups yet',
      recipients: 'Recipients', readCount: 'Read', from: 'From', markRead: 'Mark read', unread: 'Unread', empty: 'No broadcasts',
      popupTitle: 'Broadcast from {name}', pending: 'Scheduled for {time}', panel: 'Broadcasts',
    },
    agents: {
      title: 'Agents', add: 'Add agent', edit: 'Edit', id: 'Agent ID', name: 'Name', password: 'Password', newPassword: 'New password (optional)',
      role: 'Role', admin: 'Admin', agent: 'Agent', permissions: 'Permissions', maxChats: 'Max chats', autoAccept: 'Auto-accept',
      status: 'Status', disable: 'Disable', enable: 'Enable', delete: 'Delete', confirmDelete: 'Delete agent {id}? Their internal messages go too.',
      disabled: 'Disabled', saved: 'Saved', created: 'Agent added', adminFixed: 'The admin holds every permission',
      revoked: 'Your permissions were changed by an admin', disabledSelf: 'Your account was disabled by an admin',
      perm: {
        accept_chats: 'Accept chats', view_agents: 'View other agents', transfer: 'Transfer', monitor: 'Monitor', manage_agents: 'Manage agents',
        manage_groups: 'Groups', customers_view: 'View customers', customers_edit: 'Edit customers', customers_assign: 'Assign customers',
        canned_responses: 'Canned responses', blocking: 'Blocking', settings: 'Settings', analytics: 'Reports', export: 'Export',
      },
    },
  },
};
