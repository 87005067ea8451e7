"""Excel in: the shared safety layer, vendor questionnaires and scoring matrices."""
