"""Read models for the pages: each gathers one part's data into plain values.

The pages and the quarterly report render these; none of them writes anything.
A part that is not installed yet yields an honest empty model, never made-up numbers.
"""
