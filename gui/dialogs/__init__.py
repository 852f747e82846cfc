"""Dialogs: confirmations and errors, job details, View Script, VM settings."""
