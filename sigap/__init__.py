"""Sigap: early warning and response for a Tim Terpadu Penanganan Konflik Sosial."""
