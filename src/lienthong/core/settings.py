"""One pydantic-settings class, read from LIENTHONG_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Platform settings.

    >>> Settings(instance="VN").instance
    'VN'
    """

    model_config = SettingsConfigDict(env_prefix="LIENTHONG_", extra="ignore")

    database_url: str = "sqlite:///./lienthong.db"
    data_dir: Path = Path("./data")
    instance: str = Field(default="VN", pattern=r"^[A-Za-z0-9'()+,\-.=?]{1,64}$")
    signing_key_path: Path | None = None
    site_url: str = "http://127.0.0.1:8000"
    # a signed checkpoint is written after this many entries, or this many seconds
    checkpoint_every: int = Field(default=1000, ge=1)
    checkpoint_seconds: float = Field(default=60.0, gt=0)
    log_json: bool = True
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    # file uploads (paths ending in /upload) stream to disk and may be far larger
    max_upload_bytes: int = Field(default=20 * 2**30, ge=1024)
    # JSON records posted to the API
    max_json_bytes: int = Field(default=64 * 2**20, ge=1024)

    @property
    def signing_key_file(self) -> Path:
        return self.signing_key_path or self.data_dir / "keys" / "audit-ed25519.pem"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
