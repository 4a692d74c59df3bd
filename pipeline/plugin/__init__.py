"""The Pelican plugin: reads Pelican settings and hands records and the report to outputs."""
