"""Importers that bring records over from other CRMs."""
