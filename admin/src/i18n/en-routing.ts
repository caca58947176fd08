// Routing controls: Transfer, offers, Monitor agent, Auto-assignment (terms from GLOSSARY.md).
export default {
  routing: {
    transfer: {
      button: 'Transfer', title: 'Transfer', pick: 'Pick an online agent', none: 'No other agent online', load: '{load}/{cap}', busy: 'Full',
      send: 'Transfer', sent: 'Transfer requested, waiting for {name}',
      offers: 'Transfer requests', offerTitle: 'Transfer requests', from: '{name} is transferring a chat to you', history: 'Include earlier history',
      accept: 'Accept', reject: 'Decline', left: '{s} s left',
      result: { accepted: '{name} accepted the transfer', rejected: '{name} declined the transfer', timeout: '{name} did not answer; the chat stays with you', cancelled: 'Transfer cancelled' },
    },
    offer: { title: 'A new chat for you', accept: 'Accept', decline: 'Decline', left: '{s} s left' },
    monitor: {
      button: 'Monitor agent', pick: 'Pick an agent', start: 'Monitor', stop: 'Stop monitoring', list: 'Monitored', none: 'No monitored chats',
      banner: 'Monitoring {name}', whisper: 'Whisper to the agent (the visitor never sees it)', send: 'Send', takeover: 'Take over', whispers: 'Supervisor notes',
    },
    invite: { button: 'Invite', chat: 'Start chat', sent: 'Invitation sent', greeting: 'Greeting (optional)' },
    settings: {
      nav: 'Auto-assignment', title: 'Auto-assignment', autoAssign: 'Auto-assignment', mode: 'Mode', service: 'Service type', sales: 'Sales type',
      serviceHint: 'Balances current chats', salesHint: 'Balances chats accepted today',
      preferLast: 'Prefer the last agent', preferWait: 'Wait for the last agent (s)', offerTimeout: 'Offer timeout (s)',
      transferTimeout: 'Transfer timeout (s)', save: 'Save', saved: 'Saved',
    },
  },
};
