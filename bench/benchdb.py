"""A fresh PostgreSQL database for a bench run (the server of PGHOST/PGPORT/PGUSER, trust auth)."""

from __future__ import annotations


def fresh_postgres_database(env: dict[str, str], name: str, *, keep: bool = False) -> str | None:
    """Drop and create database `name` (with `keep`, create it only when it does not exist); its
    DATABASE_URL, or None (with a line saying why) when PostgreSQL cannot be reached, so the bench
    skips that backend."""
    import psycopg

    host, port, user = (
        env.get("PGHOST", "127.0.0.1"),
        env.get("PGPORT", "5432"),
        env.get("PGUSER", "postgres"),
    )
    try:
        with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and not keep:
                conn.execute(f"DROP DATABASE {name}")
            if not exists or not keep:
                conn.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL unreachable, skipped: {exc}".splitlines()[0])
        return None
    return f"postgres://{user}@{host}:{port}/{name}"
