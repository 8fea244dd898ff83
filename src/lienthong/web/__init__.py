"""The scoreboard: server-rendered pages, Vietnamese first, with live updates over SSE.

The app includes `router` and mounts `static_files()` at /static.
"""
