"""Respon Pengaduan Pelayanan: complaints as code for Indonesian Puskesmas."""

__version__ = "0.1.0"
