"""Browser journeys through the real site (Playwright and Chromium)."""
