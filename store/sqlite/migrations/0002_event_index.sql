-- Lookup attributes move out of the commit path: instead of one secondary
-- index per attribute on events (a random-page insert each, paid by every
-- caller waiting for its event), one index table filled in bulk by the
-- indexer, and caught up before every attribute lookup.
DROP INDEX events_id;
DROP INDEX events_name;
DROP INDEX events_username;
DROP INDEX events_access_key;
DROP INDEX events_source;
DROP INDEX event_resources_type;
DROP INDEX event_resources_name;

CREATE TABLE event_index (
    account TEXT NOT NULL,
    region  TEXT NOT NULL,
    attr    TEXT NOT NULL,
    value   TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (account, region, attr, value, seq)
) WITHOUT ROWID;

-- The rowid of events up to which event_index is complete.
CREATE TABLE event_index_cursor (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_rowid INTEGER NOT NULL
);
INSERT INTO event_index_cursor (id, last_rowid) VALUES (1, 0);

INSERT INTO event_index (account, region, attr, value, seq)
    SELECT account, region, 'EventId', id, seq FROM events
    UNION ALL SELECT account, region, 'EventName', name, seq FROM events
    UNION ALL SELECT account, region, 'Username', username, seq FROM events WHERE username != ''
    UNION ALL SELECT account, region, 'AccessKeyId', access_key_id, seq FROM events WHERE access_key_id != ''
    UNION ALL SELECT account, region, 'EventSource', source, seq FROM events
    UNION ALL SELECT account, region, 'ResourceType', type, seq FROM event_resources
    UNION ALL SELECT account, region, 'ResourceName', name, seq FROM event_resources;
UPDATE event_index_cursor SET last_rowid = (SELECT coalesce(max(rowid), 0) FROM events);

-- Purging walks streams by sequence number; seq grows within a stream, so
-- this index is appended to, not scattered.
CREATE INDEX event_index_seq ON event_index (account, region, seq);
