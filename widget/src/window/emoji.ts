// E1: a small built-in emoji set (plain Unicode, no images), enough for service chat.
export const EMOJI: readonly string[] = [
  '😀', '😃', '😄', '😁', '😊', '🙂', '😉', '😍', '😘', '😋', '😎', '🤔',
  '😐', '😅', '😂', '🤣', '😢', '😭', '😮', '😱', '😡', '😴', '🤗', '🙏',
  '👍', '👎', '👌', '👏', '🙌', '💪', '👋', '🤝', '❤️', '💔', '⭐', '🔥',
  '🎉', '🎁', '☕', '🌹', '✅', '❌', '❓', '❗', '💡', '📦', '🚚', '💰',
];
