"""The furniture line classifier for pasted pages."""
