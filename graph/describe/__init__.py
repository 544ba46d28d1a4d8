"""What the dataset holds: counts, conflicts between sources, coverage, the data card."""
