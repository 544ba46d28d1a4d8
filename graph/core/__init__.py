"""What every stage uses: errors, where package data is, progress, safe CSV."""
