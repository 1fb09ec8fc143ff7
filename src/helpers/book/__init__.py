"""What every page of the book uses: the edition a chapter sees, disclosure control, figures,
offline widgets, publishing tables and escaping values from data (Dutch number formats: `helpers.core.dutch`)."""
