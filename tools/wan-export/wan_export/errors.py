class ExportError(Exception):
    """A problem the user can fix: the message names the file or setting, what is wrong and what to do."""
