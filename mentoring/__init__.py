"""Mentoring rounds: applications, confirmation, matching and partnerships."""
