"""geo.tables: the pairings, status and coverage layers validated row by row."""
