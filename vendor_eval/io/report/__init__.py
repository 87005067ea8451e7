"""The committee report: prepared data, then the PDF and Excel writers that lay it out."""
