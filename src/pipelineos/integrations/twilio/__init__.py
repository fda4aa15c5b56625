"""Twilio: the only package that imports the ``twilio`` SDK.

``errors`` (imports no SDK) holds the translated errors; ``gateway.TwilioGateway`` sends and
finds messages through the SDK's async client; ``signature.verify`` checks status callbacks.
Import the SDK-backed modules only when Twilio is configured.
"""
