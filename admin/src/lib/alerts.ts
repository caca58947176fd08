// B3/B4 alerts while the console tab is hidden: a browser Notification and a
// short WebAudio beep, each switchable in the agent's settings. Nothing fires
// while the agent is looking at the tab: the lists already show it.
let audio: AudioContext | null = null;

export function beep(): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.25);
  } catch {
    // no audio device or autoplay refused: the popup and the badges still tell
  }
}

export function popup(title: string, body: string, tag: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  // tag collapses repeats of one chat into one notification; body is plain text
  const n = new Notification(title, { body: body.slice(0, 140), tag });
  n.onclick = () => { window.focus(); n.close(); };
}

/** Asks once, from a user gesture (the settings switch). */
export async function askPopupPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

export function alertAgent(opts: { sound: boolean; popup: boolean }, title: string, body: string, tag: string): void {
  if (typeof document !== 'undefined' && !document.hidden) return;
  if (opts.sound) beep();
  if (opts.popup) popup(title, body, tag);
}
