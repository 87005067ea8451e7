"""Existing scoring spreadsheets in any layout: read (sheets), find the table (detect), read it (read)."""
