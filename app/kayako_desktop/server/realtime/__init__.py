"""Realtime delivery: the hub of live sockets, audiences, and the socket protocol handler."""
