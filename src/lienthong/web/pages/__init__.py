"""The scoreboard's pages, one module per page or group of pages."""
