"""The one configuration object (env prefix ``DANVAN_``, optional ``.env``), passed in, never global.

A top-level leaf above vntext/: every layer may import it, and no other module reads the environment.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DANVAN_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("./data"), description="Where the store lives (catalogue, Chroma, uploads).")
    embed_model: str = Field("e5-small-q4", description="`e5-small-q4` or `sentence-transformers:<name-or-path>`.")
    embed_cache: Path | None = Field(None, description="Embedding cache file; default DATA_DIR/embed-cache.sqlite3.")
    embed_batch: int = Field(32, description="Passages per embedding call.")
    embed_threads: int = Field(0, description="Threads for the embedded model (0 = all cores).")
    chroma_url: str | None = Field(None, description="e.g. http://127.0.0.1:8000 → Chroma server (HttpClient).")
    database_url: str | None = Field(None, description="postgresql://user@host:5432/db → the catalogue, "
                                     "lexical index, facts, accounts and chat history in PostgreSQL (server profile); "
                                     "empty = SQLite files in DATA_DIR (the embedded profile).")
    collection: str = Field("danvan", description="Chroma collection name.")
    chunk_size: int = Field(900, description="Target maximum characters per passage.")
    chunk_min: int = Field(400, description="Passages shorter than this are merged with the next.")
    chunk_overlap: int = Field(150, description="Characters of trailing sentence(s) repeated in the next passage.")
    max_file_mb: float = Field(20.0, description="Files larger than this are skipped.")
    ocr_dpi: int = Field(300, description="Resolution scanned PDF pages are rasterised at for OCR.")
    ocr_workers: int = Field(2, description="Pages read by OCR at the same time (one Tesseract process each).")
    ocr_page_timeout_s: float = Field(120.0, description="Seconds one page may take in OCR before the file is skipped.")
    ocr_lang: str = Field("vie", description="Tesseract language model(s), e.g. `vie` or `vie+eng`.")
    top_k: int = Field(6, description="Passages given to the answer.")
    llm: str | None = Field(None, description="`openai:<model>` or `ollama:<model>`; empty = no LLM.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible or Ollama base URL.")
    llm_api_key: str = Field("not-needed", description="API key for the OpenAI-compatible endpoint.")
    llm_timeout: float = Field(60.0, description="Seconds before the LLM call gives up (then extractive fallback).")
    llm_max_tokens: int | None = Field(None, description="Longest reply asked of the LLM (tokens); empty = server default.")
    host: str = Field("127.0.0.1", description="App bind address.")
    port: int = Field(7860, description="App port.")
    auth: str | None = Field(None, description="`user:password[,user2:pw2]` or a path to a file of such lines.")
    session_idle_minutes: float = Field(60.0, gt=0, description="A login session ends after this many minutes "
                                        "without use (each request renews it).")
    concurrency: int = Field(4, description="Questions the app answers at the same time.")
    max_question_chars: int = Field(1000, description="Longest question accepted (characters).")
    two_phase: bool = Field(True, description="Ingest writes static vectors first (searchable in seconds); the "
                            "e5 vectors follow: the app's background worker, or `danvan ingest` before it exits.")
    static_model: Path | None = Field(None, description="Static embedding table; default the bundled one.")
    fault: str | None = Field(None, description="Crash tests only: `point:N` kills the process the N-th time "
                                                "the write protocol reaches `point` (vectorstore.store.fault_point).")

    def with_db(self, db: str | Path | None) -> "Settings":
        return self if db is None else self.model_copy(update={"data_dir": Path(db)})

    @property
    def catalogue_path(self) -> Path:
        return self.data_dir / "catalogue.sqlite3"

    @property
    def accounts_path(self) -> Path:
        """Users, collections, grants and chat history on the embedded profile."""
        return self.data_dir / "accounts.sqlite3"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def embed_cache_path(self) -> Path:
        return self.embed_cache or (self.data_dir / "embed-cache.sqlite3")
