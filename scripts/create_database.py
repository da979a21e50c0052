"""Create the PostgreSQL database named in a DATABASE_URL if it does not exist (used by CI)."""

import sys

import dj_database_url
import psycopg

config = dj_database_url.parse(sys.argv[1])
with psycopg.connect(
    host=config["HOST"] or None,
    port=config["PORT"] or None,
    user=config["USER"] or None,
    password=config["PASSWORD"] or None,
    dbname="postgres",
    autocommit=True,
) as conn:
    exists = conn.execute(
        "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
    ).fetchone()
    if not exists:
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
print(f"database {config['NAME']} ready")
