"""Sending files from a chat window (the seed article's second half): an image, a file, a code snippet and a
link, pushed from the buttons above the reply box and from the toolbar's Push menu, seen by the agent and by
the visitor; drag-drop; the size limit; unsafe links refused."""

from __future__ import annotations

import re
from pathlib import Path

import requests
from playwright.sync_api import Page, expect

from tests.e2e.agent.media import PDF, png_bytes, write
from tests.e2e.conftest import image_loaded


def open_chat(live, agent_app, widget, page, host_site, visitor: str = "Adam"):
    live.create_agent("alice@example.com", "Alice")
    alice = agent_app("alice@example.com", live)
    page.goto(host_site + "/")
    widget.open()
    widget.start_chat(visitor, "Which bulb fits my lamp?")
    alice.request(visitor).get_by_role("button", name="Accept").click()
    expect(alice.chat.get_by_role("heading", name=re.compile(f"^{visitor}"))).to_be_visible()
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Alice")
    return alice


def choose_files(page: Page, button, paths: list[Path]) -> None:
    """Click a Browse button and pick files in the (browser's) file chooser, as an agent would."""
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files([str(p) for p in paths])


def test_each_kind_pushed_from_the_buttons_above_the_reply_box(live, agent_app, widget, page, host_site, tmp_path):
    alice = open_chat(live, agent_app, widget, page, host_site)
    bar = alice.chat.get_by_role("toolbar", name="Push to the visitor")

    # Send an image: "Upload an image from the local system", preview, OK.
    photo = write(tmp_path, "lamp photo.png", png_bytes())
    bar.get_by_role("button", name="Send an image").click()
    dialog = alice.page.get_by_role("dialog", name="Push image")
    expect(dialog.get_by_label("Upload an image from the local system")).to_be_checked()
    choose_files(alice.page, dialog.get_by_role("button", name="Browse…"), [photo])
    expect(dialog).to_contain_text("lamp photo.png")
    preview = dialog.get_by_role("img", name="Preview of lamp photo.png")
    expect(preview).to_be_visible()
    assert image_loaded(preview)
    alice.shot("push-image-dialog")
    widget.f.get_by_role("button", name="Minimise chat").click()  # the visitor looks away for a moment
    dialog.get_by_role("button", name="OK").click()
    expect(dialog).to_be_hidden()
    mine_row = alice.timeline.locator("li.post.mine.kind-image:not(.pending)")
    mine = mine_row.locator("img.image")
    expect(mine).to_be_visible()
    assert image_loaded(mine)
    expect(mine_row.locator(".ticks")).not_to_have_attribute("aria-label", "Seen")
    mine.evaluate("(i) => { i.dataset.probe = 'kept'; }")
    widget.open()
    theirs = widget.f.get_by_role("img", name="Image: lamp photo.png")
    expect(theirs).to_be_visible()
    assert image_loaded(theirs)
    # The visitor has seen it: the agent's ticks say so, changed in place (the image is not drawn again).
    expect(mine_row.locator(".ticks")).to_have_attribute("aria-label", "Seen")
    expect(mine).to_have_attribute("data-probe", "kept")
    opener = widget.f.locator("a.image-link").filter(has=theirs)
    expect(opener).to_have_attribute("target", "_blank")  # click to open full size
    with page.context.expect_page() as full:
        opener.click()
    assert full.value.url.split("?")[0].endswith("/content")
    full.value.close()

    # Send a file: Browse (two at once), names and sizes, OK.
    pdf = write(tmp_path, "Invoice 1001.pdf", PDF)
    notes = write(tmp_path, "notes.txt", b"Bulb: E27, 8 W LED, warm white\n" * 40)
    bar.get_by_role("button", name="Send a file").click()
    dialog = alice.page.get_by_role("dialog", name="Push file")
    choose_files(alice.page, dialog.get_by_role("button", name="Browse…"), [pdf, notes])
    files = dialog.get_by_role("list", name="Files to send")
    expect(files.get_by_role("listitem")).to_have_count(2)
    expect(files).to_contain_text("Invoice 1001.pdf")
    expect(files).to_contain_text(f"{len(PDF)} B")
    expect(files).to_contain_text("notes.txt")
    expect(files).to_contain_text("1.2 KB")
    alice.shot("push-file-dialog")
    dialog.get_by_role("button", name="OK — send 2 files").click()
    for name, size in [("Invoice 1001.pdf", f"{len(PDF)} B"), ("notes.txt", "1.2 KB")]:
        card = widget.f.locator(".file-card").filter(has_text=name)
        expect(card.locator(".file-size")).to_have_text(size)
        expect(alice.timeline.locator("li.post.mine:not(.pending) .file-card").filter(has_text=name)).to_be_visible()
    with page.expect_download() as dl:
        widget.f.get_by_role("link", name=re.compile("Download Invoice 1001.pdf")).click()
    assert dl.value.suggested_filename == "Invoice 1001.pdf"
    assert Path(dl.value.path()).read_bytes() == PDF

    # Send example source code: paste, Language (a drop-down you can type in; a guess by default),
    # highlighted preview, OK.
    code = "def bulb_for(lamp):\n    return lamp.socket + ' LED'\n"
    bar.get_by_role("button", name="Send example source code").click()
    dialog = alice.page.get_by_role("dialog", name="Push code")
    dialog.get_by_label("Source code").fill(code)
    language = dialog.get_by_role("combobox", name="Language")
    expect(language).to_have_value("Auto-detect (Python)")
    expect(dialog.get_by_label("Preview").locator(".highlight .k").first).to_have_text("def")
    language.fill("rub")
    options = dialog.get_by_role("listbox", name="Languages").get_by_role("option")
    expect(options.first).to_have_text("Auto-detect (Python)")
    expect(options.nth(1)).to_have_text("Ruby")
    language.fill("python")
    language.press("Enter")
    expect(language).to_have_value("Python")
    expect(language).to_have_attribute("aria-expanded", "false")
    alice.shot("push-code-dialog")
    dialog.get_by_role("button", name="OK").click()
    block = widget.f.locator("figure.code-card")
    expect(block.locator(".language")).to_have_text("python")
    expect(block.locator(".highlight .k").first).to_have_text("def")
    expect(alice.timeline.locator("li.post.mine:not(.pending) figure.code-card .highlight .k").first).to_have_text("def")
    block.get_by_role("button", name="Copy python code").click()
    expect(block.get_by_role("button", name="Copy python code")).to_have_text("Copied")
    page.bring_to_front()
    assert page.evaluate("() => navigator.clipboard.readText()") == code  # the visitor's clipboard holds the code

    # Push URL: a bare host becomes https; the link opens in a new tab without access to the chat.
    box = bar.get_by_role("textbox", name="Push URL")
    box.fill("example.com/bulbs")
    bar.get_by_role("button", name="Send URL").click()
    link = widget.f.get_by_role("link", name="https://example.com/bulbs")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(alice.timeline.get_by_role("link", name="https://example.com/bulbs")).to_be_visible()
    expect(box).to_have_value("")

    # Anything but http, https and mailto is refused, with a message, and nothing is sent.
    visitor_posts = widget.f.locator("li.post").count()
    box.fill("javascript:alert(document.cookie)")
    box.press("Enter")
    expect(bar.get_by_role("alert")).to_have_text("Only http, https or mailto links can be sent (not “javascript:”)")
    expect(box).to_have_value("javascript:alert(document.cookie)")
    box.fill("mailto:help@northwind.example")
    bar.get_by_role("button", name="Send URL").click()
    mail = widget.f.get_by_role("link", name="help@northwind.example", exact=True)  # shown without "mailto:"
    expect(mail).to_have_attribute("href", "mailto:help@northwind.example")
    expect(widget.f.locator("li.post")).to_have_count(visitor_posts + 1)
    alice.shot("pushed-all-kinds")
    widget.shot("messenger-pushed-all-kinds")


def test_the_push_menu_acts_on_the_active_chat(live, agent_app, widget, page, host_site, tmp_path):
    alice = open_chat(live, agent_app, widget, page, host_site, visitor="Bea")
    push = alice.page.get_by_role("button", name="Push", exact=True)

    def menu_item(name: str):
        push.click()
        menu = alice.page.get_by_role("menu", name="Push")
        if name == "Push image…":
            alice.shot("push-menu-open")
        menu.get_by_role("menuitem", name=name).click()

    # Send an online image: its address, a preview, OK (the server never fetches it).
    menu_item("Push image…")
    dialog = alice.page.get_by_role("dialog", name="Push image")
    dialog.get_by_label("Send an online image").check()
    online = f"{host_site}/lamp.png"
    dialog.get_by_role("textbox", name="Image address").fill(online)
    expect(dialog.get_by_role("img", name="Preview of the online image")).to_be_visible()
    dialog.get_by_role("button", name="OK").click()
    theirs = widget.f.locator("li.post img.image")
    expect(theirs).to_have_attribute("src", online)
    assert image_loaded(theirs)

    # An SVG is not accepted as an image (it could carry script); it can only go as a file.
    svg = write(tmp_path, "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    menu_item("Push image…")
    dialog = alice.page.get_by_role("dialog", name="Push image")
    choose_files(alice.page, dialog.get_by_role("button", name="Browse…"), [svg])
    expect(dialog.get_by_role("alert")).to_contain_text("is not a PNG, JPEG, GIF or WebP image")
    dialog.get_by_role("button", name="Cancel").click()

    menu_item("Push file…")
    dialog = alice.page.get_by_role("dialog", name="Push file")
    choose_files(alice.page, dialog.get_by_role("button", name="Browse…"), [svg])
    dialog.get_by_role("button", name="OK").click()
    card = widget.f.locator(".file-card").filter(has_text="logo.svg")
    href = card.get_by_role("link", name=re.compile("Download logo.svg")).get_attribute("href")
    served = widget.frame.evaluate("async (u) => { const r = await fetch(u); return [r.status, r.headers.get('content-disposition')]; }", href)
    assert served[0] == 200 and served[1].startswith("attachment")

    menu_item("Push code…")
    dialog = alice.page.get_by_role("dialog", name="Push code")
    dialog.get_by_label("Source code").fill("</code><script>alert('x')</script>")
    language = dialog.get_by_role("combobox", name="Language")
    language.fill("HTML")
    language.press("Enter")
    expect(language).to_have_value("HTML")
    dialog.get_by_label("Source code").press("Control+Enter")
    block = widget.f.locator("figure.code-card")
    expect(block).to_contain_text("</code><script>alert('x')</script>")  # shown as text, never run
    assert block.locator("script").count() == 0

    menu_item("Push URL…")
    dialog = alice.page.get_by_role("dialog", name="Push URL")
    dialog.get_by_label("Link").fill("javascript:alert(1)")
    dialog.get_by_role("button", name="Send").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Only http, https or mailto links can be sent")
    alice.shot("push-url-refused")
    dialog.get_by_label("Link").fill("northwind.example/returns")
    dialog.get_by_role("button", name="Send").click()
    expect(widget.f.get_by_role("link", name="https://northwind.example/returns")).to_be_visible()
    alice.shot("push-menu")

    # With no chat open the menu says so and pushes nothing.
    alice.chat.get_by_role("button", name="End chat").click()
    alice.dialog.get_by_role("button", name="End chat").click()
    alice.chat.get_by_role("button", name="Close").click()
    expect(push).to_have_attribute("aria-disabled", "true")
    expect(push).to_have_attribute("title", "Open a chat you are answering to push to the visitor")
    push.dispatch_event("click")  # still opens (it explains itself) but offers nothing to run
    menu = alice.page.get_by_role("menu", name="Push")
    expect(menu).to_contain_text("Open a chat first")
    expect(menu.get_by_role("menuitem", name="Push file…")).to_have_attribute("aria-disabled", "true")
    alice.page.keyboard.press("Escape")


DROP = """async ([selector, files]) => {
  const dt = new DataTransfer();
  for (const [name, type, b64] of files) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    dt.items.add(new File([bytes], name, { type }));
  }
  const target = document.querySelector(selector);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }
}"""


def drop(page: Page, selector: str, files: list[tuple[str, str, bytes]]) -> None:
    import base64

    page.evaluate(DROP, [selector, [[n, t, base64.b64encode(b).decode()] for n, t, b in files]])


def test_drag_and_drop_pushes_images_as_images_and_the_rest_as_files(live, agent_app, widget, page, host_site):
    alice = open_chat(live, agent_app, widget, page, host_site, visitor="Cal")
    alice.page.evaluate("""() => {
      const pane = document.querySelector('.chat-pane');
      pane.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: (() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'a.txt')); return d; })() }));
    }""")
    expect(alice.chat.locator(".drop-overlay")).to_contain_text("Drop to send to Cal")
    alice.shot("drop-target")
    drop(alice.page, ".chat-pane", [("shelf.png", "image/png", png_bytes(120, 80)), ("Manual.pdf", "application/pdf", PDF)])
    expect(alice.chat.locator(".drop-overlay")).to_be_hidden()
    img = widget.f.get_by_role("img", name="Image: shelf.png")
    expect(img).to_be_visible()
    assert image_loaded(img)
    expect(widget.f.locator(".file-card").filter(has_text="Manual.pdf")).to_be_visible()
    expect(alice.timeline.get_by_role("img", name="Image: shelf.png")).to_be_visible()

    # Dropped anywhere else, a file never replaces the app.
    url = alice.page.url
    drop(alice.page, "app-nav", [("stray.pdf", "application/pdf", PDF)])
    expect(alice.toast("Drop files on an open chat to send them to the visitor")).to_be_visible()
    assert alice.page.url == url
    expect(widget.f.locator(".file-card").filter(has_text="stray.pdf")).to_have_count(0)


def test_a_30_mb_file_is_refused_with_the_limit_named(live, agent_app, widget, page, host_site, tmp_path):
    alice = open_chat(live, agent_app, widget, page, host_site, visitor="Dee")
    big = tmp_path / "catalogue.zip"
    with big.open("wb") as fh:
        fh.truncate(30 * 1024 * 1024)
    alice.chat.get_by_role("button", name="Send a file").click()
    dialog = alice.page.get_by_role("dialog", name="Push file")
    choose_files(alice.page, dialog.get_by_role("button", name="Browse…"), [big])
    expect(dialog.get_by_role("alert")).to_have_text("“catalogue.zip” is 30 MB; files are limited to 25 MB")
    expect(dialog.get_by_role("button", name="OK")).to_be_disabled()
    alice.shot("push-file-too-large")
    dialog.get_by_role("button", name="Cancel").click()

    # Dropped, the same reason; nothing reaches the visitor.
    alice.page.evaluate("""() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(30 * 1024 * 1024)], 'catalogue.zip', { type: 'application/zip' }));
      for (const type of ['dragenter', 'dragover', 'drop'])
        document.querySelector('.chat-pane').dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }""")
    expect(alice.toast("“catalogue.zip” is 30 MB; files are limited to 25 MB")).to_be_visible()
    expect(widget.f.locator(".file-card")).to_have_count(0)


def test_downloads_need_the_conversations_visitor_or_an_agent(live, agent_app, widget, page, host_site, tmp_path,
                                                             make_visitor):
    alice = open_chat(live, agent_app, widget, page, host_site, visitor="Eve")
    alice.chat.get_by_role("button", name="Send a file").click()
    dialog = alice.page.get_by_role("dialog", name="Push file")
    choose_files(alice.page, dialog.get_by_role("button", name="Browse…"), [write(tmp_path, "Invoice 7.pdf", PDF)])
    dialog.get_by_role("button", name="OK").click()
    link = widget.f.get_by_role("link", name=re.compile("Download Invoice 7.pdf"))
    href = link.get_attribute("href") or ""
    assert widget.frame.evaluate("async (u) => (await fetch(u)).status", href) == 200  # this chat's visitor
    assert "visitor_token" not in href and "sig=" in href  # a signed link, never the visitor's token
    path = href.split("?")[0]
    stranger = make_visitor("Mallory")
    assert requests.get(live.url + path, headers={"X-Visitor-Token": stranger.token}, timeout=10).status_code == 403
    assert requests.get(live.url + path, timeout=10).status_code == 401
    assert requests.get(live.url + path, headers={"X-Visitor-Token": "forged"}, timeout=10).status_code == 401


def test_uploads_show_progress_can_be_cancelled_and_resume_after_a_lost_connection(
        live, agent_app, widget, page, host_site, tmp_path, outage):
    alice = open_chat(live, agent_app, widget, page, host_site, visitor="Flo")
    cdp = alice.page.context.new_cdp_session(alice.page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": 256 * 1024})  # a slow uplink: 256 KB/s
    brochure = write(tmp_path, "brochure.pdf", PDF + b"\n%" + b"x" * (4 * 1024 * 1024))
    alice.chat.get_by_role("button", name="Send a file").click()
    dialog = alice.page.get_by_role("dialog", name="Push file")
    choose_files(alice.page, dialog.get_by_role("button", name="Browse…"), [brochure])
    dialog.get_by_role("button", name="OK").click()
    row = alice.timeline.locator("li.post.pending").filter(has_text="brochure.pdf")
    expect(row).to_contain_text("Uploading…")
    bar = row.get_by_role("progressbar", name="Uploading brochure.pdf")
    expect(bar).to_have_attribute("value", re.compile(r"^[1-9]\d*"))  # it moves
    alice.shot("upload-progress")
    row.get_by_role("button", name="Cancel brochure.pdf").click()
    expect(row).to_have_count(0)
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})

    # The chat server becomes unreachable: the upload fails with the reason and waits; once the server is
    # back it goes out by itself, and the visitor gets it exactly once.
    outage.on.set()
    outage.cut_agents()
    expect(alice.banner).to_be_visible()
    manual = write(tmp_path, "manual.pdf", PDF)
    alice.chat.get_by_role("button", name="Send a file").click()
    dialog = alice.page.get_by_role("dialog", name="Push file")
    choose_files(alice.page, dialog.get_by_role("button", name="Browse…"), [manual])
    dialog.get_by_role("button", name="OK").click()
    failed = alice.timeline.locator("li.post.pending").filter(has_text="manual.pdf")
    expect(failed.get_by_role("alert")).to_contain_text("Not sent: Lost the connection to the chat server")
    expect(failed.get_by_role("button", name="Retry")).to_be_visible()
    alice.shot("upload-failed")
    outage.on.clear()
    expect(alice.banner).to_be_hidden(timeout=15000)
    expect(widget.f.locator(".file-card").filter(has_text="manual.pdf")).to_have_count(1)
    expect(alice.timeline.locator("li.post.mine:not(.pending) .file-card").filter(has_text="manual.pdf")).to_have_count(1)
    expect(alice.timeline.locator("li.post.pending")).to_have_count(0)
    page.wait_for_timeout(1000)  # nothing else turns up later
    expect(widget.f.locator(".file-card")).to_have_count(1)
    assert widget.f.locator(".file-card").filter(has_text="brochure.pdf").count() == 0  # the cancelled one


def test_push_tools_pass_axe_in_every_state(live, agent_app, widget, page, host_site, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def serious() -> list[str]:
        results = axe.run(alice.page)
        return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']]})" for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")]

    alice = open_chat(live, agent_app, widget, page, host_site, visitor="Gus")
    states = {"chat with the push bar": serious()}
    for button, title in [("Send an image", "Push image"), ("Send a file", "Push file"),
                          ("Send example source code", "Push code")]:
        alice.chat.get_by_role("button", name=button).click()
        dialog = alice.page.get_by_role("dialog", name=title)
        expect(dialog).to_be_visible()
        if title == "Push code":
            dialog.get_by_label("Source code").fill("print('hi')")
            expect(dialog.get_by_label("Preview").locator(".highlight")).to_be_visible()
        if title == "Push file":
            choose_files(alice.page, dialog.get_by_role("button", name="Browse…"), [write(tmp_path, "a.pdf", PDF)])
        states[title] = serious()
        dialog.get_by_role("button", name="Cancel").click()
    bar = alice.chat.get_by_role("toolbar", name="Push to the visitor")
    bar.get_by_role("textbox", name="Push URL").fill("ftp://example.com")
    bar.get_by_role("button", name="Send URL").click()
    expect(bar.get_by_role("alert")).to_be_visible()
    states["refused link"] = serious()
    alice.page.get_by_role("button", name="Settings").click()
    states["settings"] = serious()
    assert {k: v for k, v in states.items() if v} == {}


def test_the_language_drop_down_is_a_combobox_from_the_keyboard(live, agent_app, widget, page, host_site):
    from axe_playwright_python.sync_playwright import Axe

    alice = open_chat(live, agent_app, widget, page, host_site, visitor="Hal")
    alice.chat.get_by_role("button", name="Send example source code").click()
    dialog = alice.page.get_by_role("dialog", name="Push code")
    dialog.get_by_label("Source code").fill("def socket_of(lamp):\n    return lamp.socket\n")
    language = dialog.get_by_role("combobox", name="Language")
    guess = "Auto-detect (Python)"
    expect(language).to_have_value(guess)  # it names its guess

    # Tab from the code reaches the drop-down; ↓ opens it at the chosen option, ↓ / ↑ move.
    alice.page.keyboard.press("Tab")
    expect(language).to_be_focused()
    expect(language).to_have_attribute("aria-expanded", "false")
    alice.page.keyboard.press("ArrowDown")
    expect(language).to_have_attribute("aria-expanded", "true")
    listbox = dialog.get_by_role("listbox", name="Languages")
    expect(listbox).to_be_visible()
    assert language.get_attribute("aria-controls") == listbox.get_attribute("id")
    options = listbox.get_by_role("option")
    expect(options.first).to_have_text(guess)

    def active():
        return alice.page.locator(f"[id='{language.get_attribute('aria-activedescendant')}']")

    expect(active()).to_have_text(guess)
    expect(active()).to_have_attribute("aria-selected", "true")
    alice.page.keyboard.press("ArrowDown")
    expect(active()).to_have_text("ABAP")
    expect(options.first).to_have_attribute("aria-selected", "false")
    alice.page.keyboard.press("ArrowUp")
    expect(active()).to_have_text(guess)
    serious = [v["id"] for v in Axe().run(alice.page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []

    # Esc closes the list only (the dialog stays); typing filters with Auto-detect still first; Enter picks.
    alice.page.keyboard.press("Escape")
    expect(language).to_have_attribute("aria-expanded", "false")
    expect(dialog).to_be_visible()
    alice.page.keyboard.type("sql")
    expect(language).to_have_attribute("aria-expanded", "true")
    expect(options.first).to_have_text(guess)
    expect(options.nth(1)).to_have_text("SQL")
    expect(active()).to_have_text("SQL")
    alice.shot("push-code-language")
    alice.page.keyboard.press("Enter")
    expect(language).to_have_value("SQL")
    expect(language).to_have_attribute("aria-expanded", "false")
    expect(dialog).to_be_visible()  # Enter picked; it did not send
    expect(dialog.get_by_label("Preview").locator(".code-bar .language")).to_have_text("sql")

    # A click works too: open with the arrow button, pick with the pointer.
    dialog.get_by_role("button", name="Show languages").click()
    options.filter(has_text=re.compile(r"^Python$")).click()
    expect(language).to_have_value("Python")

    # With the list closed, Esc is the dialog's again.
    language.focus()
    alice.page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
