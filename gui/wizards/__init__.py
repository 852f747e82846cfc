"""The console's wizards."""
