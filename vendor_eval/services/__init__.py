"""Use cases. Each public function is one user action and owns its transaction.

The GUI and the CLI call these; they never open sessions or write SQL themselves.
"""
