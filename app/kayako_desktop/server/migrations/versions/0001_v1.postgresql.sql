-- Revision 0001 (version 1's schema) for PostgreSQL, frozen: generated once from server/tables.py as it
-- was at this revision, plus what tables.py leaves to migrations (full-text search, case-insensitive
-- email uniqueness). Never edit it; change the schema with a new revision.

CREATE TABLE agents (
    id SERIAL NOT NULL,
    email TEXT NOT NULL,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT DEFAULT 'AGENT' NOT NULL,
    status TEXT DEFAULT 'ONLINE' NOT NULL,
    max_chats INTEGER DEFAULT 4 NOT NULL,
    missed_offers INTEGER DEFAULT 0 NOT NULL,
    last_offered_at DOUBLE PRECISION,
    avatar_url TEXT,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (email)
);

CREATE TABLE events (
    seq BIGSERIAL NOT NULL,
    type TEXT NOT NULL,
    audience_kind TEXT NOT NULL,
    audience_id INTEGER,
    data TEXT NOT NULL,
    ts BIGINT NOT NULL,
    PRIMARY KEY (seq)
);
CREATE INDEX events_audience ON events (audience_kind, audience_id, seq);

CREATE TABLE files (
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    is_image INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploader_kind TEXT NOT NULL,
    uploader_id INTEGER NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (id)
);

CREATE TABLE login_attempts (
    key TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key, at);

CREATE TABLE meta (
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (key)
);

CREATE TABLE visitors (
    id SERIAL NOT NULL,
    token_hash TEXT NOT NULL,
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
    page_views INTEGER DEFAULT 0 NOT NULL,
    first_seen DOUBLE PRECISION NOT NULL,
    session_started_at DOUBLE PRECISION NOT NULL,
    last_seen DOUBLE PRECISION NOT NULL,
    online INTEGER DEFAULT 0 NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (token_hash)
);
CREATE INDEX visitors_online ON visitors (online, last_seen);

CREATE TABLE conversations (
    id SERIAL NOT NULL,
    subject TEXT NOT NULL,
    status TEXT DEFAULT 'NEW' NOT NULL,
    visitor_id INTEGER NOT NULL,
    owner_id INTEGER,
    is_offline INTEGER DEFAULT 0 NOT NULL,
    rating TEXT,
    rating_comment TEXT,
    client_id TEXT,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    completed_at DOUBLE PRECISION,
    PRIMARY KEY (id),
    UNIQUE (visitor_id, client_id),
    FOREIGN KEY(visitor_id) REFERENCES visitors (id),
    FOREIGN KEY(owner_id) REFERENCES agents (id)
);
CREATE INDEX conversations_owner ON conversations (owner_id, status);
CREATE INDEX conversations_status ON conversations (status, created_at);

CREATE TABLE macros (
    id SERIAL NOT NULL,
    title TEXT NOT NULL,
    contents TEXT NOT NULL,
    created_by INTEGER,
    created_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(created_by) REFERENCES agents (id)
);

CREATE TABLE page_views (
    id SERIAL NOT NULL,
    visitor_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    title TEXT,
    referrer TEXT,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(visitor_id) REFERENCES visitors (id) ON DELETE CASCADE
);
CREATE INDEX page_views_visitor ON page_views (visitor_id, id);

CREATE TABLE sessions (
    id TEXT NOT NULL,
    agent_id INTEGER NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    last_active_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(agent_id) REFERENCES agents (id) ON DELETE CASCADE
);

CREATE TABLE invitations (
    id SERIAL NOT NULL,
    visitor_id INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    message TEXT NOT NULL,
    state TEXT NOT NULL,
    conversation_id INTEGER,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(visitor_id) REFERENCES visitors (id),
    FOREIGN KEY(agent_id) REFERENCES agents (id),
    FOREIGN KEY(conversation_id) REFERENCES conversations (id)
);

CREATE TABLE offers (
    id SERIAL NOT NULL,
    conversation_id INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    state TEXT NOT NULL,
    transfer_from INTEGER,
    created_at DOUBLE PRECISION NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    ended_at DOUBLE PRECISION,
    PRIMARY KEY (id),
    FOREIGN KEY(conversation_id) REFERENCES conversations (id),
    FOREIGN KEY(agent_id) REFERENCES agents (id),
    FOREIGN KEY(transfer_from) REFERENCES agents (id)
);
CREATE INDEX offers_conversation ON offers (conversation_id, agent_id);
CREATE INDEX offers_state ON offers (state, expires_at);

CREATE TABLE participants (
    conversation_id INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    role TEXT NOT NULL,
    joined_at DOUBLE PRECISION NOT NULL,
    left_at DOUBLE PRECISION,
    PRIMARY KEY (conversation_id, agent_id),
    FOREIGN KEY(conversation_id) REFERENCES conversations (id),
    FOREIGN KEY(agent_id) REFERENCES agents (id)
);
CREATE INDEX participants_agent ON participants (agent_id, left_at);

CREATE TABLE posts (
    id SERIAL NOT NULL,
    uuid TEXT NOT NULL,
    conversation_id INTEGER NOT NULL,
    client_id TEXT,
    author_kind TEXT NOT NULL,
    author_id INTEGER,
    kind TEXT NOT NULL,
    visibility TEXT NOT NULL,
    contents TEXT NOT NULL,
    content_html TEXT,
    language TEXT,
    url TEXT,
    file_id TEXT,
    status TEXT DEFAULT 'SENT' NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (author_kind, author_id, client_id),
    UNIQUE (uuid),
    FOREIGN KEY(conversation_id) REFERENCES conversations (id),
    FOREIGN KEY(file_id) REFERENCES files (id)
);
CREATE INDEX posts_conversation ON posts (conversation_id, id);
CREATE INDEX posts_file ON posts (file_id);

-- Emails match case-insensitively, as SQLite's NOCASE column does.
CREATE UNIQUE INDEX agents_email_lower ON agents (lower(email));

-- Chat History's full-text index (SQLite: the FTS5 table search_fts). 'simple' = words as written,
-- no stemming, like FTS5's unicode61.
CREATE TABLE search_index (
    id BIGSERIAL PRIMARY KEY,
    conversation_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    document TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED
);
CREATE INDEX search_index_document ON search_index USING GIN (document);
CREATE INDEX search_index_conversation ON search_index (conversation_id);
