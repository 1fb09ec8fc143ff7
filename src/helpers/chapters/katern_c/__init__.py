"""Katern C, Kansen voor professionalisering: chapters 1-4 and Bijlage 1."""
