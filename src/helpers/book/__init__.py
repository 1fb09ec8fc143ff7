"""What every page of the book uses: the edition a chapter sees, disclosure control, figures,
offline widgets, publishing tables, Dutch number formats and escaping values from data."""
