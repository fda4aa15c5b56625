"""Claude (Anthropic): the SDK seam, the protected service and their errors.

``client`` is the only module in PipelineOS that imports ``anthropic``; ``service`` puts it
behind the ``claude-api`` breaker, retries and the ``claude-requests`` limiter; ``errors`` is
what callers catch. The analyzer built on this lives in :mod:`pipelineos.analysis.claude`.
"""
