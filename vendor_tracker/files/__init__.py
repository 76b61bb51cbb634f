"""Files kept in the database: the bytes once per SHA-256, attached to records of other packages.

A low-level package (like `audit`): it imports no domain package. Each owning package registers
how to describe one of its records (`files.owners.register_owner`), and the files follow the
record's rules: who may see it, who may add files, and whether its files are locked.
"""
