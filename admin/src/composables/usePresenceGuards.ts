// Two B2 behaviours that live as long as the console layout:
// - idle auto-away: the server's agent actor sets the agent away after the
//   company's idleAwayMs without socket activity (pings do not count), so real
//   mouse/keyboard use here sends `agent.activity`, at most once per
//   ACTIVITY_EVERY_MS; an agent who does nothing sends nothing and goes away.
// - leaving the page with ongoing chats or chats still to evaluate asks first.
import { onBeforeUnmount, onMounted } from 'vue';
import { useConversationsStore } from '../stores/conversations';
import { useEvaluationStore } from '../stores/evaluation';
import { useSocketStore } from '../stores/socket';

/** Throttle for agent.activity: well under any sensible idle time (the settings page offers whole minutes). */
export const ACTIVITY_EVERY_MS = 2000;
const ACTIVITY_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export function usePresenceGuards(): void {
  const socket = useSocketStore();
  const convs = useConversationsStore();
  const evaluation = useEvaluationStore();
  let lastSent = 0;

  function onActivity(): void {
    const now = Date.now();
    if (now - lastSent < ACTIVITY_EVERY_MS) return;
    // Sent only when the socket is ready; a reconnect's hello counts as activity anyway.
    if (socket.send({ type: 'agent.activity' })) lastSent = now;
  }

  function onBeforeUnload(e: BeforeUnloadEvent): void {
    if (convs.mine.length === 0 && evaluation.pendingTotal === 0) return;
    e.preventDefault();
    e.returnValue = ''; // older Chromium needs it set to show the prompt
  }

  onMounted(() => {
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { passive: true, capture: true });
    window.addEventListener('beforeunload', onBeforeUnload);
  });
  onBeforeUnmount(() => {
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    window.removeEventListener('beforeunload', onBeforeUnload);
  });
}
