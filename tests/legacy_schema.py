"""The catalogue's DDL as the code before the one definition (vectorstore/schema.py) wrote it, frozen:
what existing stores hold. Never edit: tests/test_schema_definition.py checks that the generated schema is
the same on real engines, and that stores made by this DDL open unchanged.

``SQLITE``: vectorstore/catalogue.py's SCHEMA, then what vectorstore/migrations.py did to a new store
(the collection index, the FTS5 lexical index). ``POSTGRES``: step 1 of vectorstore/pg_migrations.py.
``SQLITE_OLDEST``: a store without what the SQLite upgrades have added since the first stores
(chunks.page/ocr, documents.places/collection and its index, the two-phase tables, the lexical index's
pairs and coll columns): a reconstruction of the oldest layout an upgrade must handle.
"""

SQLITE = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT, path TEXT, content_hash TEXT, title TEXT, outlet TEXT,
    date TEXT, date_iso TEXT, kind TEXT, instrument TEXT, article TEXT, effective_date TEXT,
    encoding TEXT, n_chunks INTEGER, n_chars INTEGER, ingested_at REAL, near_dup_of TEXT, places TEXT,
    collection TEXT NOT NULL DEFAULT 'chung');
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT, position INTEGER, text TEXT, heading TEXT,
    start INTEGER, "end" INTEGER, page INTEGER, ocr INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY, doc_id TEXT, chunk_id TEXT, kind TEXT, text TEXT, fields TEXT, start INTEGER);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE TABLE IF NOT EXISTS doc_lines (doc_id TEXT, key TEXT, PRIMARY KEY (doc_id, key));
CREATE INDEX IF NOT EXISTS doc_lines_key ON doc_lines(key);
CREATE TABLE IF NOT EXISTS pending (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS unrefined (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS pending_static (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS minhash (doc_id TEXT PRIMARY KEY, sig BLOB);
CREATE TABLE IF NOT EXISTS minhash_bands (band TEXT, doc_id TEXT);
CREATE INDEX IF NOT EXISTS minhash_bands_band ON minhash_bands(band);
CREATE INDEX IF NOT EXISTS minhash_bands_doc ON minhash_bands(doc_id);
CREATE INDEX IF NOT EXISTS documents_collection ON documents(collection);
CREATE VIRTUAL TABLE IF NOT EXISTS lexical USING fts5(
    chunk_id UNINDEXED, exact, folded, pairs, coll, tokenize="unicode61 remove_diacritics 0 tokenchars '_'");
CREATE VIRTUAL TABLE IF NOT EXISTS lexical_vocab USING fts5vocab(lexical, 'row');
"""

POSTGRES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT, path TEXT, content_hash TEXT, title TEXT, outlet TEXT,
    date TEXT, date_iso TEXT, kind TEXT, instrument TEXT, article TEXT, effective_date TEXT,
    encoding TEXT, n_chunks INTEGER, n_chars BIGINT, ingested_at DOUBLE PRECISION, near_dup_of TEXT,
    places TEXT, collection TEXT NOT NULL DEFAULT 'chung');
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE INDEX IF NOT EXISTS documents_article ON documents(article);
CREATE INDEX IF NOT EXISTS documents_collection ON documents(collection);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT, position INTEGER, text TEXT, heading TEXT,
    start INTEGER, "end" INTEGER, page INTEGER, ocr INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS facts (
    id BIGSERIAL PRIMARY KEY, doc_id TEXT, chunk_id TEXT, kind TEXT, text TEXT, fields TEXT, start INTEGER);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE INDEX IF NOT EXISTS facts_kind ON facts(kind);
CREATE TABLE IF NOT EXISTS doc_lines (doc_id TEXT, key TEXT, PRIMARY KEY (doc_id, key));
CREATE INDEX IF NOT EXISTS doc_lines_key ON doc_lines(key);
CREATE TABLE IF NOT EXISTS pending (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS unrefined (chunk_id TEXT PRIMARY KEY, seq BIGSERIAL);
CREATE TABLE IF NOT EXISTS pending_static (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS minhash (doc_id TEXT PRIMARY KEY, sig BYTEA);
CREATE TABLE IF NOT EXISTS minhash_bands (band TEXT, doc_id TEXT);
CREATE INDEX IF NOT EXISTS minhash_bands_band ON minhash_bands(band);
CREATE INDEX IF NOT EXISTS minhash_bands_doc ON minhash_bands(doc_id);
CREATE TABLE IF NOT EXISTS lexical (chunk_id TEXT PRIMARY KEY, exact TEXT, folded TEXT, pairs TEXT, ntok INTEGER);
CREATE TABLE IF NOT EXISTS lexical_postings (
    col SMALLINT, term TEXT COLLATE "C", chunk_id TEXT, ntok INTEGER, tf INTEGER, pos INTEGER[],
    PRIMARY KEY (col, term, chunk_id));
CREATE INDEX IF NOT EXISTS lexical_postings_chunk ON lexical_postings(chunk_id);
INSERT INTO meta VALUES ('generation', '0') ON CONFLICT DO NOTHING;
"""

SQLITE_OLDEST = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, source TEXT, path TEXT, content_hash TEXT, title TEXT, outlet TEXT,
    date TEXT, date_iso TEXT, kind TEXT, instrument TEXT, article TEXT, effective_date TEXT,
    encoding TEXT, n_chunks INTEGER, n_chars INTEGER, ingested_at REAL, near_dup_of TEXT);
CREATE INDEX documents_hash ON documents(content_hash);
CREATE TABLE chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT, position INTEGER, text TEXT, heading TEXT,
    start INTEGER, "end" INTEGER);
CREATE INDEX chunks_doc ON chunks(doc_id);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY, doc_id TEXT, chunk_id TEXT, kind TEXT, text TEXT, fields TEXT, start INTEGER);
CREATE INDEX facts_doc ON facts(doc_id);
CREATE TABLE doc_lines (doc_id TEXT, key TEXT, PRIMARY KEY (doc_id, key));
CREATE INDEX doc_lines_key ON doc_lines(key);
CREATE TABLE pending (chunk_id TEXT PRIMARY KEY);
CREATE TABLE minhash (doc_id TEXT PRIMARY KEY, sig BLOB);
CREATE TABLE minhash_bands (band TEXT, doc_id TEXT);
CREATE INDEX minhash_bands_band ON minhash_bands(band);
CREATE INDEX minhash_bands_doc ON minhash_bands(doc_id);
CREATE VIRTUAL TABLE lexical USING fts5(chunk_id UNINDEXED, exact, folded, tokenize="unicode61 remove_diacritics 0");
CREATE VIRTUAL TABLE lexical_vocab USING fts5vocab(lexical, 'row');
"""
