"""The database-specific full-text structures next to search_searchentry.

Used by migration 0002 and by future migrations that must re-create the SQLite
triggers after Django re-creates the table.
"""

from __future__ import annotations

TABLE = "search_searchentry"
FTS_TABLE = "search_entry_fts"

# --- PostgreSQL ---------------------------------------------------------------------
# A generated column is computed by the INSERT/UPDATE itself: no trigger, no second
# write, and nobody can forget to refresh it.
PG_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(tags_text, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')"
)
PG_FORWARD = [
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({PG_VECTOR}) STORED",
    f"CREATE INDEX search_entry_vector_gin ON {TABLE} USING gin (search_vector)",
    "CREATE INDEX search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
]
# Title and tags only: the small vector similar() matches and ranks on. Ranking an OR
# query over the full vector reads (and de-TOASTs) every matching row's body
# vector: 120 ms median at 100k documents, against ~7 ms on this one.
PG_TITLE_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(tags_text, '')), 'B')"
)
PG_TITLE_FORWARD = [
    f"ALTER TABLE {TABLE} ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ({PG_TITLE_VECTOR}) STORED",
    f"CREATE INDEX search_entry_title_gin ON {TABLE} USING gin (title_vector)",
]
PG_TITLE_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_title_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS title_vector",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]

# --- SQLite -------------------------------------------------------------------------
# Table names are spelled out in the SQL below (not formatted in) so it reads as SQL.
# External content: the FTS table stores only the index; snippet() reads the text
# from search_searchentry by rowid. Column names must match the content table's.
SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    f"title, tags_text, body, content='{TABLE}', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_searchentry BEGIN
  INSERT INTO search_entry_fts(rowid, title, tags_text, body) VALUES (new.id, new.title, new.tags_text, new.body);
END""",
    """CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_searchentry BEGIN
  INSERT INTO search_entry_fts(search_entry_fts, rowid, title, tags_text, body)
  VALUES ('delete', old.id, old.title, old.tags_text, old.body);
END""",
    # Only a change of the indexed text touches the FTS index; flag updates are free.
    """CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE OF title, tags_text, body ON search_searchentry BEGIN
  INSERT INTO search_entry_fts(search_entry_fts, rowid, title, tags_text, body)
  VALUES ('delete', old.id, old.title, old.tags_text, old.body);
  INSERT INTO search_entry_fts(rowid, title, tags_text, body) VALUES (new.id, new.title, new.tags_text, new.body);
END""",
]
SQLITE_TRIGGER_NAMES = ("search_entry_ai", "search_entry_ad", "search_entry_au")
SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGER_NAMES),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def install(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in PG_FORWARD:
                cursor.execute(sql)
        elif connection.vendor == "sqlite":
            cursor.execute(SQLITE_CREATE)
            install_sqlite_triggers(connection)
            # Index rows that existed before the FTS table did.
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')")
        else:
            raise NotImplementedError(f"search has no backend for {connection.vendor}")


def uninstall(connection) -> None:
    statements = PG_BACKWARD if connection.vendor == "postgresql" else SQLITE_BACKWARD
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install_sqlite_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for sql in SQLITE_TRIGGERS:
            cursor.execute(sql)


def sqlite_triggers_present(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        names = {row[0] for row in cursor.fetchall()}
    return names >= set(SQLITE_TRIGGER_NAMES)


def install_title_vector(connection) -> None:
    """PostgreSQL only; SQLite's FTS5 restricts a match to columns in the query instead."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in PG_TITLE_FORWARD:
            cursor.execute(sql)


def uninstall_title_vector(connection) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in PG_TITLE_BACKWARD:
            cursor.execute(sql)
