"""The shared data warehouse: one SQL table per dataset, ingestion, validation, query."""
