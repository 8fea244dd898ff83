"""Administrative units (both hierarchies and the 2025 mapping) and periods.

`service` answers questions about units, `periods` about days, months, quarters and years,
`loader` fills the tables from `source`, the only module that reads the data package.
"""
