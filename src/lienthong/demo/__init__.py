"""The Hải Phòng demo: sector dataset packs, their seeded synthetic generators, and the
figures the source articles report (see docs/demo.md)."""
