"""Content the osteopath owns: the article series' parts and the home programme text."""
