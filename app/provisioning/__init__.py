"""Desk phones' configuration files, one module per vendor, built with lxml (Polycom XML)
or written line by line from allow-listed values (Yealink `key = value`).

The supported models and what each knows (vendor, line keys) are in catalog.py."""
