"""HTTP: routes, error mapping and the app factory."""
