// @ts-check
/**
 * Wiring for the desktop app's first run: its progress on the Welcome screen (<setup-status>), and the
 * one question it may ask — what visitors should call an agent whose computer account has no real name.
 */
import { native } from './state/native.js';
import './elements/setup-status.js';

export const NAME_LIMIT = 120;

/** Checks a display name as the server will (1–120 characters once trimmed). @param {string} value */
export function checkName(value) {
  const name = value.trim();
  if (!name) throw new Error('Enter the name visitors should see.');
  if (name.length > NAME_LIMIT) throw new Error(`Use at most ${NAME_LIMIT} characters.`);
  return name;
}

/**
 * @param {{actions: import('./state/actions.js').Actions, $: (sel: string) => any,
 *   toasts: {show: (text: string, kind?: string) => void}}} ctx
 * @returns {{setupStatus: (s: any) => void, askName: (id: string, suggestion: string) => Promise<void>}}
 */
export function wireFirstRun({ actions, $, toasts }) {
  const status = $('setup-status');
  status.setup({
    addButton: $('#welcome-add'),
    intro: $('#welcome-intro'),
    keepInFile: () => native.updateSettings({ password_file_fallback: true }),
    retry: () => native.retrySetup(),
  });
  let asking = false;
  return {
    setupStatus: (s) => status.show(s ?? null),
    async askName(id, suggestion) {
      if (asking) return;
      asking = true;
      const name = await $('prompt-dialog').ask({
        title: 'What should visitors call you?', label: 'Your name', value: suggestion, confirm: 'Save name',
        hint: 'Visitors see this name when you chat with them. You can change it later in Settings.', validate: checkName,
      });
      try {
        if (name) await actions.rename(id, name);
        await native.updateSettings({ name_prompt_pending: false });
        toasts.show(name ? `Visitors now see you as ${name}` : `Visitors see you as ${suggestion}; change it in Settings`, name ? 'success' : undefined);
      } catch (err) {
        toasts.show(`Your name could not be saved: ${err instanceof Error ? err.message : String(err)}`, 'error');
      } finally {
        asking = false;
      }
    },
  };
}
