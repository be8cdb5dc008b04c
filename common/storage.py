"""Where uploaded files live: S3-compatible object storage when configured, so every web
host reads what any host stored; local files (MEDIA_ROOT) otherwise.

Receipts and request documents name children's matters. They are never public: the
objects are private (ACL `private`), and this storage gives out no URL, presigned or
plain, so the only way to a file is the portal's own permission-checked and access-logged
download views, which read it through the storage API (`FieldFile.open`). The bucket
itself should refuse public access too (README, "Uploads in object storage").
"""

from botocore.config import Config
from storages.backends.s3 import S3Storage

# An object store that hangs must not hang a web worker: bounded connect and read, and a
# few retries of what failed (botocore's "standard" mode backs off between them).
CLIENT_CONFIG = Config(
    connect_timeout=5,
    read_timeout=30,
    retries={"max_attempts": 3, "mode": "standard"},
)


class NoPublicURL(NotImplementedError):
    """Raised by PrivateS3Storage.url(): files are served only through the portal's views."""


class PrivateS3Storage(S3Storage):
    """django-storages' S3 storage with private objects and no URLs."""

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "default_acl": "private",
            "querystring_auth": True,
            # Names are random already (receipt_path, document_path); never overwrite.
            "file_overwrite": False,
        }

    def __init__(self, **settings):
        super().__init__(**settings)
        # Added to the config django-storages builds (addressing style, signature).
        self.client_config = self.client_config.merge(CLIENT_CONFIG)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NoPublicURL(
            "Uploaded files are served only through the portal's permission-checked views."
        )
