// Report (I2–I10) texts; keep in step with zh-CN-reports.ts and GLOSSARY.md.
export default {
  reports: {
    nav: 'Reports',
    reports: {
      overview: 'Overview', sources: 'Traffic sources', loyalty: 'Loyalty', content: 'Content',
      goals: 'Goals', visitors: 'Visitor info', chats: 'Chats & messages', agents: 'Agents',
    },
    views: {
      summary: 'Summary', sources: 'Sources', keywords: 'Keywords', type: 'All sources', engine: 'Search engines', keyword: 'Keywords',
      site: 'Referring sites', direct: 'Direct', visitor_type: 'New / returning', depth: 'Visit depth', recency: 'Recency', frequency: 'Frequency',
      pages: 'Top pages', entry: 'Entry pages', exit: 'Exit pages', funnel: 'Funnel', region: 'Region', city: 'City', country: 'Country',
      browser: 'Browser', os: 'OS', device: 'Device', screen: 'Screen', language: 'Language', day: 'By day', hour: 'By hour',
      topic: 'Topic', category: 'Category', agents: 'Agents',
    },
    presets: { today: 'Today', week: 'This week', month: 'This month', last3months: 'Last 3 months' },
    from: 'From', to: 'To',
    dim2: 'Second dimension',
    dim2s: { region: 'Region', visitor_type: 'New / returning', day: 'Date', page: 'Landing page' },
    filterBy: 'Filter by…', filterValue: 'value', addFilter: 'Add filter',
    dims: {
      source_type: 'Source type', search_engine: 'Search engine', keyword: 'Keyword', referrer_host: 'Referring site', utm_source: 'Campaign source',
      utm_medium: 'Campaign medium', utm_campaign: 'Campaign', visitor_type: 'New / returning', country: 'Country', province: 'Region', city: 'City',
      browser: 'Browser', os: 'OS', device: 'Device', screen: 'Screen', language: 'Language', landing_page: 'Landing page',
      exit_page: 'Exit page', page: 'Page', agent: 'Agent', group: 'Group', channel: 'Channel', topic: 'Topic', category: 'Category',
      offline_type: 'Message type', offline_reason: 'Reason',
    },
    values: {
      source_type: { search: 'Search engine', site: 'Referring site', campaign: 'Campaign', direct: 'Direct' },
      visitor_type: { new: 'New', returning: 'Returning' },
    },
    chart: 'Chart', details: 'Details', export: 'Export', total: 'Total', none: '(none)',
    funnel: 'Funnel', newFunnel: 'New funnel name', saveFunnel: 'Save funnel', funnelEmpty: 'Define a funnel of page paths to see conversion.',
    cols: {
      date: 'Date', hour: 'Hour', visits: 'Visits', visit_share: 'Visit share', visitors: 'Unique visitors', page_views: 'Page views',
      chats: 'Chats', chat_share: 'Chat share', avg_chat_ms: 'Avg chat duration', avg_pages: 'Avg pages', avg_dwell_ms: 'Avg time on site',
      new_pct: 'New visitors %', bounce_rate: 'Bounce rate', pv_share: 'Page view share', entries: 'Entries', visitor_share: 'Visitor share',
      offline: 'Offline messages', avg_wait_ms: 'Avg wait', avg_first_response_ms: 'Avg first response', avg_duration_ms: 'Avg chat duration',
      share: 'Share', avg_rating: 'Avg satisfaction', rated: 'Rated', peak_concurrency: 'Peak concurrent chats', online_ms: 'Online time',
      transferred: 'Transferred', step: 'Step', of_first: 'Of step 1', of_previous: 'Of previous step', depth: 'Pages per visit',
      recency: 'Since previous visit', frequency: 'Visits in period', agent: 'Agent',
    },
  },
};
