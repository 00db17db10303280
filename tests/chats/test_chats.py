"""Chats and contacts end to end against the fake in real headless Chromium (one browser)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from conftest import GROUP, MEMBER, OTHER, PEER, Session, logged_in

from wawebpy import events
from wawebpy.errors import (
    ChatNotFoundError,
    InvalidChatIdError,
    InvalidContentError,
    InvalidInputError,
    ReadOnlyError,
)
from wawebpy.types import ChatId, ChatState

ALICE = ChatId.parse(PEER)


@pytest.fixture(scope="module")
def s(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    with logged_in(tmp_path_factory.mktemp("chats")) as session:
        yield session


def _deliver(s: Session, text: str, sender: str = PEER, chat: str | None = None) -> str:
    mid = s.fake.deliver_text(sender=sender, text=text, chat=chat)
    s.rec.wait(events.NewMessage, lambda e: str(e.message.id) == mid)
    return mid


# -- chats: reading -----------------------------------------------------------------------------


def test_get_chats_lists_groups_and_filters(s: Session) -> None:
    _deliver(s, "hi, unread")
    chats = {c.id: c for c in s.client.get_chats()}
    assert ChatId.parse(GROUP) in chats and ALICE in chats
    assert chats[ChatId.parse(GROUP)].is_group and chats[ChatId.parse(GROUP)].name == "Test group"
    groups = s.client.get_chats(groups=True)
    assert groups and all(c.is_group for c in groups)
    assert all(not c.is_group for c in s.client.get_chats(groups=False))
    unread = s.client.get_chats(unread=True)
    assert ALICE in {c.id for c in unread} and all(c.unread_count > 0 for c in unread)


def test_get_chat_unknown_raises_chat_not_found(s: Session) -> None:
    with pytest.raises(ChatNotFoundError) as info:
        s.client.get_chat("15550009999@c.us")
    assert info.value.chat_id == "15550009999@c.us"
    with pytest.raises(InvalidChatIdError):
        s.client.get_chat("not a chat")


def test_search_chats_by_name_and_human_number(s: Session) -> None:
    assert [c.id for c in s.client.search_chats("test GROUP")] == [ChatId.parse(GROUP)]
    assert ALICE in {c.id for c in s.client.search_chats("+1 (555) 123-4567")}
    with pytest.raises(InvalidContentError):
        s.client.search_chats("  ")


def test_iter_messages_pages_newest_first(s: Session) -> None:
    ids = [_deliver(s, f"history {i}", sender=MEMBER) for i in range(5)]
    got = [str(m.id) for m in s.client.iter_messages(MEMBER, limit=3)]
    assert got == ids[::-1][:3]
    older = [str(m.id) for m in s.client.iter_messages(MEMBER, limit=10, before=got[-1])]
    assert older == ids[::-1][3:]
    with pytest.raises(InvalidInputError):
        list(s.client.iter_messages(MEMBER, limit=0))


def test_search_messages_in_one_chat_and_everywhere(s: Session) -> None:
    a = _deliver(s, "the magic word is xylophone")
    b = _deliver(s, "xylophone again", sender=MEMBER, chat=GROUP)
    everywhere = {str(m.id) for m in s.client.search_messages("XYLOPHONE")}
    assert {a, b} <= everywhere
    in_group = [str(m.id) for m in s.client.search_messages("xylophone", chat=GROUP)]
    assert in_group == [b]
    assert len(s.client.search_messages("xylophone", limit=1)) == 1


# -- chats: changing -----------------------------------------------------------------------------


def test_archive_and_unarchive_reach_server_and_fire_event(s: Session) -> None:
    mark = s.rec.mark()
    chat = s.client.archive_chat(PEER)
    assert chat.archived
    s.fake.wait_until(lambda f: (PEER, "archive", True) in f.chat_actions)
    ev = s.rec.wait(events.ChatArchived, lambda e: e.chat_id == ALICE, start=mark)
    assert ev.archived
    assert ALICE in {c.id for c in s.client.get_chats(archived=True)}
    assert not s.client.unarchive_chat(PEER).archived
    s.rec.wait(events.ChatArchived, lambda e: e.chat_id == ALICE and not e.archived, start=mark)
    s.fake.wait_until(lambda f: (PEER, "archive", False) in f.chat_actions)


def test_archived_on_phone_fires_event(s: Session) -> None:
    mark = s.rec.mark()
    s.fake.archive_chat(MEMBER, True)
    ev = s.rec.wait(events.ChatArchived, lambda e: str(e.chat_id) == MEMBER, start=mark)
    assert ev.archived
    s.fake.archive_chat(MEMBER, False)


def test_pin_unpin(s: Session) -> None:
    assert s.client.pin_chat(PEER).pinned
    s.fake.wait_until(lambda f: any(a[:2] == (PEER, "pin") and a[2] for a in f.chat_actions))
    assert not s.client.unpin_chat(PEER).pinned
    s.fake.wait_until(lambda f: (PEER, "pin", 0) in f.chat_actions)


def test_mute_until_and_unmute(s: Session) -> None:
    chat = s.client.mute_chat(PEER, until=timedelta(hours=8))
    assert chat.muted
    s.fake.wait_until(
        lambda f: any(a[:2] == (PEER, "muteExpiration") and a[2] > 0 for a in f.chat_actions)
    )
    assert s.client.mute_chat(PEER).raw["muteExpiration"] == -1
    assert not s.client.unmute_chat(PEER).muted
    s.fake.wait_until(lambda f: (PEER, "muteExpiration", 0) in f.chat_actions)
    with pytest.raises(InvalidInputError):
        s.client.mute_chat(PEER, until=timedelta(hours=-1))


def test_mark_unread_then_read_sends_seen_and_unread_event(s: Session) -> None:
    mark = s.rec.mark()
    _deliver(s, "please read me")
    s.rec.wait(events.UnreadCountChanged, lambda e: e.chat_id == ALICE and e.unread_count > 0)
    assert s.client.mark_unread(PEER).raw["markedUnread"]
    s.fake.wait_until(lambda f: (PEER, "markedUnread", True) in f.chat_actions)
    chat = s.client.mark_read(PEER)
    assert chat.unread_count == 0 and not chat.raw["markedUnread"]
    s.fake.wait_for_read(PEER)
    s.rec.wait(
        events.UnreadCountChanged, lambda e: e.chat_id == ALICE and e.unread_count == 0, start=mark
    )
    assert s.client.send_seen(PEER) is True


def test_typing_and_recording_state_reach_server(s: Session) -> None:
    s.client.set_chat_state(PEER, ChatState.TYPING)
    s.client.set_chat_state(PEER, "recording")
    s.client.set_chat_state(PEER, ChatState.PAUSED)
    states = [a["state"] for n, a in s.fake.iq_requests if n == "chatstate" and a["wid"] == PEER]
    assert states[-3:] == ["composing", "recording", "paused"]
    with pytest.raises(InvalidInputError):
        s.client.set_chat_state(PEER, "dancing")


def test_clear_chat_empties_history(s: Session) -> None:
    _deliver(s, "to be cleared", sender=OTHER)
    s.client.clear_chat(OTHER)
    assert s.fake.wait_for_iq("chat.clear")["chat"] == OTHER
    assert list(s.client.iter_messages(OTHER, limit=10)) == []


def test_delete_chat_fires_chat_removed(s: Session) -> None:
    mark = s.rec.mark()
    _deliver(s, "doomed chat", sender="15553333333@c.us")
    s.client.delete_chat("15553333333@c.us")
    assert s.fake.wait_for_iq("chat.delete")["chat"] == "15553333333@c.us"
    ev = s.rec.wait(events.ChatRemoved, lambda e: str(e.chat_id) == "15553333333@c.us", start=mark)
    assert ev.chat is not None and ev.chat.id == ev.chat_id
    with pytest.raises(ChatNotFoundError):
        s.client.get_chat("15553333333@c.us")


def test_deleted_on_phone_fires_chat_removed(s: Session) -> None:
    mark = s.rec.mark()
    _deliver(s, "phone deletes me", sender="15554444444@c.us")
    s.fake.delete_chat("15554444444@c.us")
    s.rec.wait(events.ChatRemoved, lambda e: str(e.chat_id) == "15554444444@c.us", start=mark)


# -- contacts --------------------------------------------------------------------------------------


def test_get_contacts_and_contact(s: Session) -> None:
    contacts = {c.id: c for c in s.client.get_contacts()}
    assert contacts[ALICE].name == "Alice Example" and contacts[ALICE].push_name == "alice"
    carol = s.client.get_contact(OTHER)
    assert carol.is_business and carol.number == "15559876543"


def test_resolve_number_normalises_human_input(s: Session) -> None:
    assert s.client.resolve_number("+1 (555) 123-4567") == ALICE
    assert s.client.resolve_number("0015551234567") == ALICE
    assert s.client.resolve_number(15551234567) == ALICE
    assert s.fake.wait_for_iq("exists")["wid"] == PEER
    s.fake.mark_unregistered("15550000404")
    assert s.client.resolve_number("+1 555-000-0404") is None
    assert s.client.is_registered(PEER) and not s.client.is_registered("15550000404")
    with pytest.raises(InvalidChatIdError):
        s.client.resolve_number("call me maybe")


def test_lid_and_phone_mapping_of_own_account(s: Session) -> None:
    me = s.client.me
    assert me is not None
    (pair,) = s.client.get_lid_and_phone([me])
    assert pair.phone == me and pair.lid is not None and str(pair.lid) == s.fake.lid
    (back,) = s.client.get_lid_and_phone(pair.lid)
    assert back.phone == me


def test_block_unblock_and_blocked_list(s: Session) -> None:
    assert s.client.block_contact(MEMBER).is_blocked
    s.fake.wait_until(lambda f: MEMBER in f.blocked)
    assert ChatId.parse(MEMBER) in {c.id for c in s.client.get_blocked_contacts()}
    assert not s.client.unblock_contact(MEMBER).is_blocked
    s.fake.wait_until(lambda f: MEMBER not in f.blocked)
    assert s.client.get_blocked_contacts() == []


def test_about_text(s: Session) -> None:
    s.fake.set_about(PEER, "Busy building bots")
    assert s.client.get_about(PEER) == "Busy building bots"
    assert s.client.get_about(MEMBER) is None


def test_profile_picture_url_and_bytes(s: Session) -> None:
    data_url = "data:image/png;base64,iVBORw0KGgo="
    s.fake.set_profile_picture(PEER, data_url)
    assert s.client.get_profile_picture_url(PEER) == data_url
    assert s.client.get_profile_picture(PEER) == b"\x89PNG\r\n\x1a\n"
    assert s.client.get_profile_picture_url(MEMBER) is None
    assert s.client.get_profile_picture(MEMBER) is None


def test_common_groups(s: Session) -> None:
    groups = s.client.get_common_groups(MEMBER)
    assert ChatId.parse(GROUP) in groups


def test_business_profile_absent_for_personal_account(s: Session) -> None:
    assert s.client.get_business_profile(PEER) is None


def test_read_only_client_refuses_chat_changes(s: Session) -> None:
    s.client._read_only = True
    try:
        with pytest.raises(ReadOnlyError):
            s.client.archive_chat(PEER)
        assert s.client.get_chat(PEER).id == ALICE
    finally:
        s.client._read_only = False


def test_labels_need_a_business_account(s: Session) -> None:
    from wawebpy.errors import WhatsAppError

    with pytest.raises(WhatsAppError) as err:
        s.client.get_labels()
    assert err.value.code == "not_business" and "LT01" in err.value.reason


def test_device_count(s: Session) -> None:
    s.fake.set_device_count(PEER, 3)
    assert s.client.get_device_count(PEER) == 3
    assert s.fake.wait_for_iq("devices")["wids"] == [PEER]


def test_save_and_delete_address_book_contact(s: Session) -> None:
    saved = s.client.save_contact("+1 555 246 8100", "Dana", "Doe")
    assert saved.name == "Dana Doe" and saved.is_my_contact
    assert s.fake.address_book == {"15552468100@c.us": "Dana Doe"}
    s.client.delete_contact("15552468100@c.us")
    assert s.fake.address_book == {}
    assert s.client.get_contact("15552468100@c.us").name is None


def test_sync_history_asks_the_phone(s: Session) -> None:
    assert s.client.sync_history(PEER) is True
    args = s.fake.wait_for_iq("history.sync")
    assert args == {"type": 3, "chat": PEER}
