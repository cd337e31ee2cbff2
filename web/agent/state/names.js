// @ts-check
/**
 * The agent UI's own names, defined once like the wire names in shared/protocol.js: the intents elements
 * fire (bubbling custom events) and the topics the store announces. A test fails when one is retyped.
 */

/** What an element asks for; routed to the actions in intents.js unless marked as caught by a parent element. */
export const Intent = Object.freeze({
  ADD_INSTANCE: 'add-instance',
  REMOVE_INSTANCE: 'remove-instance',
  INSTANCE_PASSWORD: 'instance-password',
  TAB_MENU: 'tab-menu',
  SET_STATUS: 'set-status',
  SHOW_HELP: 'show-help',
  SHOW_SETTINGS: 'show-settings',
  OFFER_ACCEPT: 'offer-accept',
  OFFER_DECLINE: 'offer-decline',
  VISITOR_FOOTPRINTS: 'visitor-footprints',
  VISITOR_JOIN: 'visitor-join',
  VISITOR_INVITE: 'visitor-invite',
  VISITOR_BAN: 'visitor-ban',
  VISITOR_NOTES: 'visitor-notes',
  SHOW_BANS: 'show-bans',
  SHOW_DEPARTMENTS: 'show-departments',
  SHOW_RULES: 'show-rules',
  SHOW_SKILLS: 'show-skills',
  SHOW_AGENTS: 'show-agents',
  STAFF_SEND: 'staff-send',
  STAFF_OPEN: 'staff-open',
  STAFF_JOIN: 'staff-join',
  CHAT_ASK_HELP: 'chat-ask-help',
  CHAT_SEND: 'chat-send',
  CHAT_TYPING: 'chat-typing',
  CHAT_SEEN: 'chat-seen',
  CHAT_RETRY: 'chat-retry',
  CHAT_CANCEL_PENDING: 'chat-cancel-pending',
  CHAT_LOAD_OLDER: 'chat-load-older',
  CHAT_TRANSFER: 'chat-transfer',
  CHAT_END: 'chat-end',
  CHAT_LEAVE: 'chat-leave',
  CHAT_CLOSE: 'chat-close',
  CHAT_TRANSCRIPT: 'chat-transcript',
  CHAT_TRANSCRIPT_DOWNLOAD: 'chat-transcript-download',
  REPORT_EXPORT: 'report-export',
  PUSH_OPEN: 'push-open',
  PUSH_URL: 'push-url',
  PUSH_DROP: 'push-drop',
  /** Caught by <chat-window>, which adds the chat and fires CHAT_SEND / CHAT_TYPING. */
  COMPOSE_SEND: 'compose-send',
  COMPOSE_TYPING: 'compose-typing',
  /** Caught by the Push code dialog. */
  LANGUAGE_CHANGE: 'language-change',
});

/**
 * What changed in the store (AppStore.emit / subscribe), so views re-render only what they show. The
 * values carry a prefix so they never read like a page name or a CSS class ('chats' is both a page and a topic).
 */
export const Topic = Object.freeze({
  INSTANCES: 'topic:instances',
  VISITORS: 'topic:visitors',
  CHATS: 'topic:chats',
  QUEUE: 'topic:queue',
  OFFERS: 'topic:offers',
  AGENTS: 'topic:agents',
  MACROS: 'topic:macros',
  BANS: 'topic:bans',
  NOTES: 'topic:notes',
  STAFF: 'topic:staff',
  POSTS: 'topic:posts',
  TYPING: 'topic:typing',
  BADGES: 'topic:badges',
  PAGE: 'topic:page',
  BRIDGE: 'topic:bridge',
});

/** @typedef {typeof Intent[keyof typeof Intent]} IntentName */
/** @typedef {typeof Topic[keyof typeof Topic]} TopicName */
