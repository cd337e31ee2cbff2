-- Revision 0001: the chat server schema as version 1 made it (frozen: later changes are new revisions). Times are UNIX seconds (REAL).
CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'AGENT',
    status TEXT NOT NULL DEFAULT 'ONLINE',
    max_chats INTEGER NOT NULL DEFAULT 4,
    missed_offers INTEGER NOT NULL DEFAULT 0,
    last_offered_at REAL,
    avatar_url TEXT,
    created_at REAL NOT NULL
);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at REAL NOT NULL,
    last_active_at REAL NOT NULL
);
CREATE TABLE visitors (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT,
    email TEXT,
    ip TEXT,
    user_agent TEXT,
    country TEXT,
    country_code TEXT,
    city TEXT,
    current_url TEXT,
    current_title TEXT,
    referrer TEXT,
    page_views INTEGER NOT NULL DEFAULT 0,
    first_seen REAL NOT NULL,
    session_started_at REAL NOT NULL,
    last_seen REAL NOT NULL,
    online INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX visitors_online ON visitors(online, last_seen);
CREATE TABLE page_views (
    id INTEGER PRIMARY KEY,
    visitor_id INTEGER NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    title TEXT,
    referrer TEXT,
    created_at REAL NOT NULL
);
CREATE INDEX page_views_visitor ON page_views(visitor_id, id);
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'NEW',
    visitor_id INTEGER NOT NULL REFERENCES visitors(id),
    owner_id INTEGER REFERENCES agents(id),
    is_offline INTEGER NOT NULL DEFAULT 0,
    rating TEXT,
    rating_comment TEXT,
    client_id TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    completed_at REAL,
    UNIQUE (visitor_id, client_id)
);
CREATE INDEX conversations_status ON conversations(status, created_at);
CREATE INDEX conversations_owner ON conversations(owner_id, status);
CREATE TABLE participants (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    role TEXT NOT NULL,
    joined_at REAL NOT NULL,
    left_at REAL,
    PRIMARY KEY (conversation_id, agent_id)
);
CREATE INDEX participants_agent ON participants(agent_id, left_at);
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    is_image INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploader_kind TEXT NOT NULL,
    uploader_id INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    client_id TEXT,
    author_kind TEXT NOT NULL,
    author_id INTEGER,
    kind TEXT NOT NULL,
    visibility TEXT NOT NULL,
    contents TEXT NOT NULL,
    content_html TEXT,
    language TEXT,
    url TEXT,
    file_id TEXT REFERENCES files(id),
    status TEXT NOT NULL DEFAULT 'SENT',
    created_at REAL NOT NULL,
    UNIQUE (author_kind, author_id, client_id)
);
CREATE INDEX posts_conversation ON posts(conversation_id, id);
CREATE INDEX posts_file ON posts(file_id);
CREATE TABLE offers (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    state TEXT NOT NULL,
    transfer_from INTEGER REFERENCES agents(id),
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    ended_at REAL
);
CREATE INDEX offers_state ON offers(state, expires_at);
CREATE INDEX offers_conversation ON offers(conversation_id, agent_id);
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    visitor_id INTEGER NOT NULL REFERENCES visitors(id),
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    message TEXT NOT NULL,
    state TEXT NOT NULL,
    conversation_id INTEGER REFERENCES conversations(id),
    created_at REAL NOT NULL
);
CREATE TABLE macros (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    contents TEXT NOT NULL,
    created_by INTEGER REFERENCES agents(id),
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    audience_kind TEXT NOT NULL,
    audience_id INTEGER,
    data TEXT NOT NULL,
    ts INTEGER NOT NULL
);
CREATE INDEX events_audience ON events(audience_kind, audience_id, seq);
CREATE TABLE login_attempts (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX login_attempts_key ON login_attempts(key, at);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE VIRTUAL TABLE search_fts USING fts5(
    text, conversation_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);
