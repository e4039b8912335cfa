"""CSV / XLSX / survey exports / event logs -> validated rows, then applied to a project."""
