"""Statistics shown in the book; one module per Katern topic."""
