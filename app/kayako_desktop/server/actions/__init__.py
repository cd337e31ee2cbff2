"""Writes. Every change to data and every published event goes through a function here, inside
`svc.db.write()`. `do_*` mutate and publish; `check_*` validate input and raise ApiError."""
