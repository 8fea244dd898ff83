"""Alembic migrations, shipped inside the package and run by `lienthong db upgrade`."""
