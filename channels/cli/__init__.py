"""``guopei``: the command line over the use cases; see ``channels.cli.main``."""
