"""What a reader opens: the maps and report, and the static site."""
