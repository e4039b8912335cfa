"""Data exports (JSON, CSV) of a whole project with its analysis. No Qt."""
