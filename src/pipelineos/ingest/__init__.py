"""Posts in: validation, storage and (later) duplicate detection."""
