"""The window's building blocks; each one shows one part of the clerk's flow."""
