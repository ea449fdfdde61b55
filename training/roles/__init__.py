"""Training of the event role filler (MUC-4 train)."""
