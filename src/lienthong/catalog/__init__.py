"""Datasets: metadata, Table Schema, classification, versions and grants."""
