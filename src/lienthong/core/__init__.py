"""Settings, database, errors, ids and time: what every part stands on."""
