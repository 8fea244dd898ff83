"""The quarterly report: the scoreboard's figures on A4, in Vietnamese, as a PDF.

Charts are Vega-Lite specifications built with Altair and rendered to SVG by
vl-convert; the page is the web part's Jinja templates printed by WeasyPrint.
The same data gives the same bytes: no clock, no random identifiers.
"""
