"""File formats: criteria templates, Excel questionnaires and matrices, PDF and Excel reports.

No Qt and no database sessions here: plain data in, files out (and back).
"""
