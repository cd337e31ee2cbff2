"""Our server with an in-worker probe (loop lag, write-transaction times, GC pauses), written as JSON to
$BENCH_PROBE_OUT; BENCH_PROBE_CHECKPOINT_THREAD=1 adds the checkpoint_thread change, BENCH_PROBE_GC_FREEZE=1
a gc.freeze() after create_app():

    BENCH_PROBE_OUT=/tmp/probe.json .venv/bin/python bench/delivery.py --sockets 1000 --only ours \
        --app bench.variants.probe:app
"""

import os

from bench.variants.patches import checkpoint_in_thread, probe

if os.environ.get("BENCH_PROBE_CHECKPOINT_THREAD") == "1":
    checkpoint_in_thread()

from kayako_desktop.server import create_app  # noqa: E402

app = create_app()
if os.environ.get("BENCH_PROBE_GC_FREEZE") == "1":  # keep startup objects out of every full collection
    import gc

    gc.freeze()
probe(os.environ.get("BENCH_PROBE_OUT", "/tmp/kayako-bench-probe.json"))
