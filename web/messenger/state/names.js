// @ts-check
/** The widget's own event names, defined once (wire names come from shared/protocol.js). */

/** What the composer asks of <chat-view>, which calls the controller. */
export const Intent = Object.freeze({
  COMPOSER_SEND: 'composer-send',
  COMPOSER_TYPING: 'composer-typing',
});
