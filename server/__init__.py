"""The city server: sync API, tus uploads, routing, workflow, figures, citizen portal."""
