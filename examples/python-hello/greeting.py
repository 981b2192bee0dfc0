"""A second module of the cartridge, imported by main.py from the archive."""


def greet(name):
    return f"Hello, {name}, from a pixel cartridge!"
