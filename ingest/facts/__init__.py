"""The fact rules, one module per kind: refs (document references), periods, figures, roles.

The entry point is ingest.extract.extract_facts.
"""
