"""PipelineOS: posts in, leads out, hot leads texted within seconds."""

__version__ = "0.1.0"
