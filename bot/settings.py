"""One Settings object from the environment and `.env`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.bank import DEFAULT_CONTENT_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    database_url: str = Field(default="sqlite:///studybot.db", description="SQLAlchemy URL or a SQLite file path")
    content_dir: Path = Field(default=DEFAULT_CONTENT_DIR, alias="STUDYBOT_CONTENT_DIR")
    checker_workers: int | None = Field(default=None, alias="STUDYBOT_CHECKER_WORKERS")

    discord_token: str | None = None
    discord_shard_count: int | None = None  # several Discord processes: the shards in all…
    discord_shard_ids: str | None = None  # …and this process's, "0,1" (unset: all shards in one process)
    slack_bot_token: str | None = None  # one workspace (self-hosted)…
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_client_id: str | None = None  # …or installed through OAuth in many
    slack_client_secret: str | None = None
    slack_redirect_uri: str | None = None  # the OAuth redirect URL, when the app lists several
    slack_api_url: str = "https://slack.com/api/"


def load_settings(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
