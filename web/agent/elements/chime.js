// @ts-check
/**
 * The chat-request sound: a short two-note chime made with WebAudio (no audio file to ship). The audio
 * context is closed a few seconds after the last chime: an open one keeps the browser engine's audio
 * service process alive (about 20 MB in the desktop app) for as long as the page lives.
 */

/** @type {AudioContext|null} */
let ctx = null;
/** @type {ReturnType<typeof setTimeout>|undefined} */
let closer;
const CLOSE_AFTER_MS = 5000;

export function chime() {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') ctx.resume().catch(() => {});
    const t = ctx.currentTime;
    for (const [i, freq] of [[0, 880], [1, 1318.5]]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.16);
      gain.gain.exponentialRampToValueAtTime(0.18, t + i * 0.16 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.16 + 0.45);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + i * 0.16);
      osc.stop(t + i * 0.16 + 0.5);
    }
    clearTimeout(closer);
    closer = setTimeout(() => { const done = ctx; ctx = null; done?.close().catch(() => {}); }, CLOSE_AFTER_MS);
  } catch {
    // No audio device or autoplay refused: the pop-up and the announcement still show the request.
  }
}
