"""Vendor adapters: the only modules that import a vendor's SDK (``claude/``, ``twilio/``).

Each adapter translates its vendor's errors into PipelineOS errors at the seam, so the rest of
the code never sees an SDK type.
"""
