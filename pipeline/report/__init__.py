"""Report: the working-day calendar and the one deadline report every consumer reads.
Imports records and evidence."""
