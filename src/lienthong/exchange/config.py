"""Gateway settings, read from LIENTHONG_GATEWAY_* environment variables."""

from __future__ import annotations

from datetime import date

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GatewaySettings(BaseSettings):
    """How the proxy behaves. Every limit here is stated in docs/exchange.md.

    >>> GatewaySettings(cache_seconds=2).cache_seconds
    2.0
    """

    model_config = SettingsConfigDict(env_prefix="LIENTHONG_GATEWAY_", extra="ignore")

    # keys, services and rights are read through caches this old at most: the revocation delay
    cache_seconds: float = Field(default=5.0, gt=0, le=300)
    # evidence is written at least this often, or when this many entries wait
    flush_seconds: float = Field(default=0.2, gt=0, le=60)
    flush_entries: int = Field(default=1000, ge=1, le=100_000)
    # past this many unwritten entries the gateway refuses new exchanges (evidence first)
    max_backlog: int = Field(default=100_000, ge=1000)
    connect_timeout: float = Field(default=5.0, gt=0)
    # the longest wait for the upstream's response headers, and between two body chunks
    read_timeout: float = Field(default=30.0, gt=0)
    max_request_bytes: int = Field(default=10 * 2**20, ge=1024)
    max_response_bytes: int = Field(default=50 * 2**20, ge=1024)
    max_header_bytes: int = Field(default=32 * 1024, ge=1024)
    max_uri_chars: int = Field(default=4096, ge=256)
    # connections kept to the upstreams, in all and per host
    pool_size: int = Field(default=200, ge=1)
    pool_per_host: int = Field(default=100, ge=1)
    # default per-client limits; exchange_limits overrides them per client subsystem
    rate_per_second: float = Field(default=100.0, gt=0)
    burst: int = Field(default=200, ge=1)
    daily_quota: int = Field(default=1_000_000, ge=1)
    # circuit breaker per upstream host
    breaker_failures: int = Field(default=5, ge=1)
    breaker_reset_seconds: float = Field(default=10.0, gt=0)
    # public holidays besides the fixed ones of the Labour Code (Tết and Hùng Kings vary)
    holidays: list[date] = Field(default_factory=list)
    # the number of worker processes sharing the rate limit (set by `gateway serve`)
    workers: int = Field(default=1, ge=1)
