-- One number that moves, in the same transaction, with every change or removal of a usage plan, an API
-- key or an association. Servers cache those and read this a few times a second: when it has moved, they
-- read what they cached again. New rows leave it as it is: they only replace a cached absence, which
-- expires by itself within seconds.

CREATE TABLE metadata_version (
    id      INTEGER NOT NULL PRIMARY KEY,
    version BIGINT  NOT NULL
);

INSERT INTO metadata_version (id, version) VALUES (1, 0);
