"""Photo to clean, small, readable A4 pages, with Pillow and the stdlib only."""
