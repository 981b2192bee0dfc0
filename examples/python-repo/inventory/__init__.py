"""A small inventory package: models, a report sub-package and data files."""
VERSION = "1.0"
