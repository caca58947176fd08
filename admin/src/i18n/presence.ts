// B2 texts (idle auto-away in the toolbar, settings) and the D6 take-over notice.
export const presenceZhCN = {
  presence: {
    autoAway: '空闲时间过长，已自动设为离开',
    idleTag: '空闲',
    idleTagHint: '因空闲自动离开，点击恢复在线',
    idleSetting: '空闲自动离开（分钟）',
    idleSettingHint: '客服无键盘鼠标操作超过此时间自动设为离开；0 为不启用',
  },
  supervision: { takenOver: '与 {visitor} 的对话已被 {name} 接管', servedBy: '对话现由 {name} 接待（只读）' },
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
};
