"""Operations: what health, metrics and the admin endpoints read from a running service."""
