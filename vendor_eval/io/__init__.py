"""File formats: criteria templates, Excel questionnaires and matrices, PDF and Excel reports.

Rooms: excel/ (the safety layer, questionnaires, the original Matrix layout), matrix/ (a
buyer's own scoring spreadsheet in any layout: .xlsx, .csv, .ods), report/ (PDF and Excel).

No Qt and no database sessions here: plain data in, files out (and back).
"""
