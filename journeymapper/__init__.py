"""JourneyMapper: segment-specific customer-journey maps with observed data."""

__version__ = "0.1.0"
