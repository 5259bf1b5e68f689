-- LookupEvents finds management events only (data events are delivered by
-- trails, in stream order, and purged by time). Indexing every data event
-- under its name, user, access key, source and ID cost six b-tree inserts
-- per S3 or KMS data call for lookups that never return it: the lookup
-- indexes are partial, over management events.
DROP INDEX events_id;
DROP INDEX events_name;
DROP INDEX events_username;
DROP INDEX events_access_key;
DROP INDEX events_source;
CREATE INDEX events_id ON events (account, region, id) WHERE management = 1;
CREATE INDEX events_name ON events (account, region, name, seq) WHERE management = 1;
CREATE INDEX events_username ON events (account, region, username, seq) WHERE management = 1;
CREATE INDEX events_access_key ON events (account, region, access_key_id, seq) WHERE management = 1;
CREATE INDEX events_source ON events (account, region, source, seq) WHERE management = 1;
