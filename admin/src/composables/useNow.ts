// One shared ticking clock for "waiting 02:13" style texts, so each list row
// doesn't start its own timer.
import { onScopeDispose, ref } from 'vue';

const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

export function useNow() {
  if (users++ === 0) timer = setInterval(() => (now.value = Date.now()), 1000);
  onScopeDispose(() => {
    if (--users === 0) clearInterval(timer);
  });
  return now;
}
