-- Metadata: opaque values under (table, key); services own the encoding.
CREATE TABLE kv (
    tbl TEXT NOT NULL,
    k   TEXT NOT NULL,
    v   BLOB NOT NULL,
    PRIMARY KEY (tbl, k)
) WITHOUT ROWID;

-- The last sequence number handed out per event stream.
CREATE TABLE event_seq (
    account TEXT NOT NULL,
    region  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (account, region)
) WITHOUT ROWID;

CREATE TABLE events (
    account       TEXT NOT NULL,
    region        TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    id            TEXT NOT NULL,
    time          INTEGER NOT NULL,
    name          TEXT NOT NULL,
    source        TEXT NOT NULL,
    read_only     INTEGER NOT NULL,
    management    INTEGER NOT NULL,
    username      TEXT NOT NULL,
    access_key_id TEXT NOT NULL,
    record        BLOB NOT NULL,
    PRIMARY KEY (account, region, seq)
);
CREATE INDEX events_id ON events (account, region, id);
CREATE INDEX events_name ON events (account, region, name, seq);
CREATE INDEX events_username ON events (account, region, username, seq);
CREATE INDEX events_access_key ON events (account, region, access_key_id, seq);
CREATE INDEX events_source ON events (account, region, source, seq);
CREATE INDEX events_time ON events (time);

CREATE TABLE event_resources (
    account TEXT NOT NULL,
    region  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    type    TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (account, region, seq, type, name)
) WITHOUT ROWID;
CREATE INDEX event_resources_type ON event_resources (account, region, type, seq);
CREATE INDEX event_resources_name ON event_resources (account, region, name, seq);
