"""Turns the official Wan 2.2 S2V-14B checkpoint into a Wan Studio model pack (format 2)."""

VERSION = "0.2.0"
