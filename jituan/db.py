from django.db import connection


def bulk_insert(model, field_names: list[str], rows: list[tuple]) -> None:
    """INSERT many rows at once, for large imports only: bulk_create spends most of its time
    building per-object SQL (see `manage.py bench import`). PostgreSQL gets COPY, which is several
    times faster there than executemany; other databases get executemany. Values must be ready
    for the database (datetimes through connection.ops) and rows skip model validation, so
    callers validate first."""
    if not rows:
        return
    columns = [model._meta.get_field(name).column for name in field_names]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)
