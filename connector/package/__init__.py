"""``connector package``: the certification submission (folder + zip), deterministic."""

from .package import SUBMISSION_FILES, PackageResult, package, submission_files, zip_bytes

__all__ = ["SUBMISSION_FILES", "PackageResult", "package", "submission_files", "zip_bytes"]
