"""Members (organisations), their subsystems, users, API keys and roles."""
