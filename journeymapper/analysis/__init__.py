"""Computed figures: metric values, weak touchpoints, competitor gaps, flows, RFM. No Qt."""
