"""Katern A, Stand van zaken: the research model scale by scale (chapters 1-7), koplopers, peloton and
achterblijvers (8), competences and practice (9), professionalisation (10), differences between and within
institutions (11), and the scales appendix."""
