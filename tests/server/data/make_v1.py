"""Make a populated version-1 database with the code from before Alembic (run from that checkout)."""
import io
import json
import shutil
import sys
import threading
from pathlib import Path

from kayako_desktop.server import create_app
from werkzeug.serving import make_server

from tests.support import Agent, LiveServer, Visitor

out = Path(sys.argv[1])
data = out / "data"
shutil.rmtree(out, ignore_errors=True)
app = create_app({"CHAT_DATA_DIR": str(data), "CHAT_TICK_SECONDS": 0})
server = make_server("127.0.0.1", 0, app, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
live = LiveServer(app, server)
live.create_agent("ada@example.com", "Ada Lovelace", "v1-password-ok", admin=True)
live.create_agent("bert@example.com", "Bert", "v1-password-ok")
ada = Agent(live, "ada@example.com", "v1-password-ok")
facts = {"chats": []}
for name, subject, lines in (("Cleo", "Parcel arrived crushed", ["The box was crushed in Zürich", "Can I get a refund?"]),
                             ("Dan", "Invoice question", ["Where do I find my invoice?"])):
    v = Visitor(live, name)
    v.view("https://shop.example.com/orders", "Orders")
    chat = v.start_chat(subject)
    cid = chat["id"]
    assert ada.accept(cid).status_code == 200, ada.accept(cid).text
    for line in lines:
        assert v.say(cid, line).status_code in (200, 201)
    assert ada.reply(cid, f"Thanks {name}, looking into it").status_code in (200, 201)
    posts = ada.get(f"/cases/{cid}/posts").json()["data"]  # the opening message, the lines, the reply
    facts["chats"].append({"id": cid, "visitor": name, "subject": subject, "posts": len(posts)})
up = ada.post("/files", files={"file": ("receipt.txt", io.BytesIO(b"receipt v1\n"), "text/plain")})
assert up.status_code == 201, up.text
facts["file"] = {"id": up.json()["data"]["id"], "name": "receipt.txt", "content": "receipt v1\n"}
facts["head_seq"] = live.svc.db.head_seq()
server.shutdown()
app.extensions["chat"].close()
(out / "facts.json").write_text(json.dumps(facts, indent=2) + "\n")
print(json.dumps(facts))
