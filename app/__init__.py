"""The officer and citizen app (Flet): the only code that touches a Flet page."""
