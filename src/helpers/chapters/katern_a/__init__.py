"""Katern A, Stand van zaken: the research model scale by scale (chapters 1-7) and the scales appendix."""
