"""Departments as people use them, in real Chromium: an administrator makes Sales, Support and Nights in the
agent app and puts agents in them; the visitor picks Support in the widget's pre-chat form and only Support's
agent rings; he hands the chat to Sales with the Transfer dialog and Sales' agent takes it; a department with
nobody online turns the widget's form into a message for that department, named."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support import Agent, Visitor


def ada_rest(live) -> list[dict]:
    return Agent(live, "ada@example.com").get("/teams").json()["data"]


def test_departments_from_setup_to_routing_and_transfer(live, agent_app, widget, page, host_site):
    for email, name, admin in (("ada@example.com", "Ada", True), ("sam@example.com", "Sam", False),
                               ("tom@example.com", "Tom", False), ("nia@example.com", "Nia", False)):
        live.create_agent(email, name, admin=admin)
    ada = agent_app("ada@example.com", live)
    ada.manage("Departments…")
    dialog = ada.page.get_by_role("dialog", name="Departments")
    expect(dialog.get_by_text("No departments yet: every agent takes every chat.")).to_be_visible()
    for title, member in (("Sales", "Sam"), ("Support", "Tom"), ("Nights", "Nia")):
        dialog.get_by_role("button", name="New department").click()
        dialog.get_by_label("Name").fill(title)
        dialog.get_by_role("group", name="Agents").get_by_label(member).check()
        dialog.get_by_role("button", name="Save").click()
        expect(dialog.get_by_role("list", name="Departments").get_by_role("button", name=re.compile(f"^{title}"))) \
            .to_be_visible()
    expect(dialog.get_by_role("heading", name="Edit Nights")).to_be_visible()
    wait = dialog.get_by_label("Offer an unanswered chat to a colleague after (minutes)")
    expect(wait).to_have_value("")  # the server's setting
    wait.fill("1.5")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_be_hidden()
    dialog.get_by_role("list", name="Departments").get_by_role("button", name=re.compile("^Sales")).click()
    dialog.get_by_role("list", name="Departments").get_by_role("button", name=re.compile("^Nights")).click()
    expect(wait).to_have_value("1.5")
    assert {t["title"]: t["auto_transfer_seconds"] for t in ada_rest(live)} == {"Nights": 90, "Sales": None,
                                                                               "Support": None}
    dialog.get_by_label("Name").fill("Sales")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_have_text("There is already a department called Sales")
    dialog.get_by_label("Name").fill("Nights")
    ada.shot("departments")
    dialog.get_by_role("button", name="Close").click()

    sam = agent_app("sam@example.com", live)
    tom = agent_app("tom@example.com", live)  # Nia never signs in: Nights has nobody online
    page.goto(host_site + "/")
    widget.open()
    choice = widget.f.get_by_label("Department")
    expect(choice.locator("option")).to_have_text(["Nights (offline)", "Sales", "Support"])
    choice.select_option(label="Nights (offline)")
    expect(widget.f.get_by_text("Nights is offline right now. Leave a message")).to_be_visible()
    widget.shot("messenger-department-offline")
    widget.f.get_by_label("Department").select_option(label="Support")
    widget.start_chat("Adam", "My lamp flickers")
    tom.request("Adam").get_by_role("button", name="Accept").click()
    expect(tom.chat.locator(".chip.department")).to_have_text("Support")
    expect(sam.requests.get_by_role("article")).to_have_count(0)
    expect(ada.requests.get_by_role("article")).to_have_count(0)

    # Ada's Visitors screen names the chat's department and filters by it.
    bea = Visitor(live, "Bea")
    bea.view("https://shop.example/", "Home")
    bea.connect()
    bea.start_chat("No department")
    ada.go("Visitors")
    expect(ada.visitor_row("Adam")).to_contain_text("Support")
    expect(ada.visitor_row("Bea")).to_be_visible()
    teams = ada.page.get_by_role("combobox", name="Department")
    expect(teams.locator("option")).to_have_text(["All departments", "Support"])
    teams.select_option(label="Support")
    expect(ada.visitor_row("Bea")).to_have_count(0)
    expect(ada.visitor_row("Adam")).to_be_visible()
    ada.shot("visitors-by-department")
    teams.select_option(label="All departments")
    expect(ada.visitor_row("Bea")).to_be_visible()

    tom.chat.get_by_role("button", name="Transfer").click()
    transfer = tom.page.get_by_role("dialog", name="Transfer chat")
    expect(transfer.get_by_label(re.compile("^Support"))).to_be_disabled()  # the chat's own department
    expect(transfer.get_by_label(re.compile("^Nights"))).to_be_disabled()  # nobody online there
    transfer.get_by_label(re.compile("^Sales")).check()
    tom.shot("transfer-to-department")
    transfer.get_by_role("button", name="Transfer").click()
    sam.request("Adam").get_by_role("button", name="Accept").click()
    expect(sam.chat.locator(".chip.department")).to_have_text("Sales")
    expect(widget.f.locator(".chat-status")).to_contain_text("You are chatting with Sam")


def test_the_chat_list_and_the_queue_filter_by_department(live, agent_app):
    live.create_agent("ada@example.com", "Ada", admin=True, max_chats=10)
    boss = Agent(live, "ada@example.com")
    ids = {t: boss.post("/teams", {"title": t, "agent_ids": [boss.id]}).json()["data"]["id"] for t in ("Sales", "Support")}
    ada = agent_app("ada@example.com", live)
    for name, team in (("Sally", "Sales"), ("Stan", "Support"), ("Stella", "Support")):
        visitor = Visitor(live, name)
        visitor.view("https://shop.example/", "Home")
        visitor.connect()
        cid = visitor.post("/conversations", {"name": name, "subject": f"{team} question",
                                              "department_id": ids[team]}).json()["data"]["id"]
        if name != "Stella":  # Stella keeps waiting
            expect(ada.request(name)).to_be_visible()
            assert boss.accept(cid).status_code == 200
    ada.go("Chats")
    mine = ada.chat_list()
    waiting = ada.page.get_by_role("list", name="Waiting chats")
    expect(mine.get_by_role("button")).to_have_count(2)
    expect(waiting.get_by_role("button", name="Take the chat with Stella")).to_be_visible()
    choice = ada.page.get_by_role("combobox", name="Show chats of department")
    expect(choice.locator("option")).to_have_text(["All departments", "Sales", "Support"])
    choice.select_option(label="Sales")
    expect(mine.get_by_role("button")).to_have_count(1)
    expect(mine.get_by_role("button", name=re.compile("^Sally"))).to_be_visible()
    expect(waiting).to_contain_text("Nobody is waiting for Sales.")
    ada.shot("chats-by-department")
    choice.select_option(label="Support")
    expect(mine.get_by_role("button", name=re.compile("^Stan"))).to_be_visible()
    expect(waiting.get_by_role("button", name="Take the chat with Stella")).to_be_visible()
    choice.select_option(label="All departments")
    expect(mine.get_by_role("button")).to_have_count(2)
