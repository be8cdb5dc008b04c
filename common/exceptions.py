"""Exceptions shared by the apps' services, importable without importing any workflow."""


class WorkflowError(Exception):
    """A step, claim or sign-up that may not be taken; `message` is meant for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
