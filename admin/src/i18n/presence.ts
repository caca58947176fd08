// B2 texts (idle auto-away in the toolbar, settings), the D6 take-over notice
// and E6 common files.
export const presenceZhCN = {
  presence: {
    autoAway: '空闲时间过长，已自动设为离开',
    idleTag: '空闲',
    idleTagHint: '因空闲自动离开，点击恢复在线',
    idleSetting: '空闲自动离开（分钟）',
    idleSettingHint: '客服无键盘鼠标操作超过此时间自动设为离开；0 为不启用',
  },
  supervision: { takenOver: '与 {visitor} 的对话已被 {name} 接管', servedBy: '对话现由 {name} 接待（只读）' },
  commonFiles: {
    tab: '常用文件', hint: '点击“发送”发给当前对话的访客', upload: '上传', send: '发送', delete: '删除',
    confirmDelete: '删除常用文件“{name}”？已发出的不受影响。',
  },
};

export const presenceEn = {
  presence: {
    autoAway: 'Idle for too long: you were set to away',
    idleTag: 'idle',
    idleTagHint: 'Set away for being idle; click to go online again',
    idleSetting: 'Auto-away when idle (minutes)',
    idleSettingHint: 'No mouse or keyboard use for this long sets an agent away; 0 = never',
  },
  supervision: { takenOver: '{name} took over your chat with {visitor}', servedBy: 'Now served by {name} (read-only)' },
  commonFiles: {
    tab: 'Files', hint: 'Send puts the file into the open chat', upload: 'Upload', send: 'Send', delete: 'Delete',
    confirmDelete: 'Delete the common file "{name}"? Copies already sent stay.',
  },
};
