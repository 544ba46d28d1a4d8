"""Finding records by what an analyst typed."""
