"""What each chapter shows in an edition: tables, views and computed prose.

A chapter module combines statistics (`helpers.stats`), disclosure control
(`helpers.book.disclosure`) and figures (`helpers.book.figures`) into the tables and
views its notebook publishes; the notebook holds the narrative and the calls.
"""
