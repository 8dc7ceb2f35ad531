"""What the public map shows, as functions over a session (no Flask)."""
