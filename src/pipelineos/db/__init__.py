"""The database: one connection pool, the embedded server, migrations and named SQL."""
