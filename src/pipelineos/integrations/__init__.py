"""Vendor adapters: the only modules that import a vendor's SDK (``claude/``, ``twilio/``)."""
