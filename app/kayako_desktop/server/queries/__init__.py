"""Reads: rows → wire models (`*_model`), lookups that may return None (`get_*`), and checked reads
that raise NOT_FOUND / PERMISSION_DENIED (`access_*`). Work on a Tx or a plain read connection."""
