// 统计报表（I2–I10）的文字，用 Live800 手册第 6 章的说法（见 GLOSSARY.md）。
export default {
  reports: {
    nav: '统计报表',
    reports: {
      overview: '网站综览', sources: '流量来源', loyalty: '访客忠诚', content: '受访内容',
      goals: '目标转化', visitors: '访客信息', chats: '对话留言', agents: '客服分析',
    },
    views: {
      summary: '综览', sources: '来源', keywords: '关键词', type: '全部来源', engine: '搜索引擎', keyword: '关键词',
      site: '来源网站', direct: '直接访问', visitor_type: '新老访客', depth: '访问深度', recency: '回访间隔', frequency: '访问频次',
      pages: '受访页面', entry: '入口页面', exit: '退出页面', funnel: '转化漏斗', region: '地区', city: '城市', country: '国家',
      browser: '浏览器', os: '操作系统', device: '设备', screen: '屏幕分辨率', language: '语种', day: '按日', hour: '按时段',
      topic: '对话主题', category: '分类', agents: '客服',
    },
    presets: { today: '本日', week: '本周', month: '本月', last3months: '最近三月' },
    from: '开始日期', to: '结束日期',
    dim2: '多方位分析',
    dim2s: { region: '地区', visitor_type: '新老访客', day: '日期', page: '入口页面' },
    filterBy: '筛选维度', filterValue: '值', addFilter: '添加筛选',
    dims: {
      source_type: '来源类型', search_engine: '搜索引擎', keyword: '关键词', referrer_host: '来源网站', utm_source: '推广来源',
      utm_medium: '推广媒介', utm_campaign: '推广活动', visitor_type: '新老访客', country: '国家', province: '地区', city: '城市',
      browser: '浏览器', os: '操作系统', device: '设备', screen: '屏幕分辨率', language: '语种', landing_page: '入口页面',
      exit_page: '退出页面', page: '页面', agent: '客服', group: '分组', channel: '渠道', topic: '对话主题', category: '分类',
      offline_type: '留言类型', offline_reason: '留言原因',
    },
    // Display names of coded dimension values (filters and exports keep the codes).
    values: {
      source_type: { search: '搜索引擎', site: '来源网站', campaign: '推广活动', direct: '直接访问' },
      visitor_type: { new: '新访客', returning: '老访客' },
    },
    chart: '图表', details: '详细信息', export: '导出', total: '合计', none: '（无）',
    funnel: '漏斗', newFunnel: '新漏斗名称', saveFunnel: '保存漏斗', funnelEmpty: '先定义一个由页面路径组成的漏斗，再查看转化。',
    cols: {
      date: '日期', hour: '时段', visits: '访问量', visit_share: '访问比例', visitors: '独立访客', page_views: '浏览量',
      chats: '对话量', chat_share: '对话比例', avg_chat_ms: '平均对话时长', avg_pages: '平均页面数', avg_dwell_ms: '平均停留时间',
      new_pct: '新访客百分比', bounce_rate: '跳出率', pv_share: '浏览比例', entries: '入口次数', visitor_share: '访客比例',
      offline: '留言量', avg_wait_ms: '平均等待时间', avg_first_response_ms: '平均首次响应', avg_duration_ms: '平均对话时长',
      share: '比例', avg_rating: '平均满意度', rated: '已评价', peak_concurrency: '最高同时对话数', online_ms: '在线时长',
      transferred: '传送对话', step: '步骤', of_first: '占第一步', of_previous: '占上一步', depth: '每次访问页面数',
      recency: '距上次访问', frequency: '期间访问次数', agent: '客服',
    },
  },
};
