"""docs/parity.md names every whatsapp-web.js 1.34 Client method and event and every method of
its Message, Chat, GroupChat, Channel and Contact structures (mapped, or saying why not).

The names are those of wa-web-modules.md sections 5.2 (Client methods), 5.3 (Client events)
and 5.4 (Structures), read from whatsapp-web.js 1.34.6 (commit 03498ea).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "parity.md"


def _words(text: str) -> list[str]:
    return text.split()


CLIENT_METHODS = _words("""
initialize destroy logout getState resetState getWWebVersion requestPairingCode
sendMessage sendSeen markChatUnread searchMessages getMessageById getPinnedMessages getPollVotes
sendResponseToScheduledEvent createCallLink
getChats getChatById archiveChat unarchiveChat pinChat unpinChat muteChat unmuteChat syncHistory
getContacts getContactById getBlockedContacts getProfilePicUrl getCommonGroups isRegisteredUser
getNumberId getFormattedNumber getCountryCode getContactDeviceCount getContactLidAndPhone
saveOrEditAddressbookContact deleteAddressbookContact setStatus setDisplayName
setProfilePicture deleteProfilePicture sendPresenceAvailable sendPresenceUnavailable
setAutoDownloadAudio setAutoDownloadDocuments setAutoDownloadPhotos setAutoDownloadVideos
setBackgroundSync
createGroup getInviteInfo acceptInvite acceptGroupV4Invite getGroupMembershipRequests
approveGroupMembershipRequests rejectGroupMembershipRequests
getChannels getChannelByInviteCode createChannel deleteChannel subscribeToChannel
unsubscribeFromChannel searchChannels sendChannelAdminInvite acceptChannelAdminInvite
revokeChannelAdminInvite demoteChannelAdmin transferChannelOwnership
getLabels getLabelById getChatLabels getChatsByLabelId addOrRemoveLabels
getBroadcasts getBroadcastById revokeStatusMessage addOrEditCustomerNote getCustomerNote
openChatWindow openChatDrawer openChatSearch openChatWindowAt openMessageDrawer closeRightDrawer
getFeatures checkFeatureStatus enableFeatures disableFeatures
""")

CLIENT_EVENTS = _words("""
qr code authenticated auth_failure ready loading_screen change_state disconnected message
message_create message_ciphertext message_ack message_edit message_revoke_everyone
message_revoke_me message_reaction media_uploaded unread_count chat_removed chat_archived
contact_changed group_join group_leave group_admin_changed group_membership_request group_update
call vote_update remote_session_saved change_battery
""")

STRUCTURE_METHODS = {
    "Message": """reload getChat getContact getMentions getGroupMentions getQuotedMessage reply
        react forward downloadMedia delete star unstar pin unpin getInfo getOrder getPayment
        getReactions edit editScheduledEvent getPollVotes vote acceptGroupV4Invite""",
    "Chat": """sendMessage sendSeen clearMessages delete archive unarchive pin unpin mute unmute
        markUnread fetchMessages sendStateTyping sendStateRecording clearState getContact
        getLabels changeLabels getPinnedMessages syncHistory addOrEditCustomerNote
        getCustomerNote""",
    "GroupChat": """addParticipants removeParticipants promoteParticipants demoteParticipants
        setSubject setDescription setAddMembersAdminsOnly setMessagesAdminsOnly
        setInfoAdminsOnly setPicture deletePicture getInviteCode revokeInvite
        getGroupMembershipRequests approveGroupMembershipRequests
        rejectGroupMembershipRequests leave""",
    "Channel": """getSubscribers setSubject setDescription setProfilePicture setReactionSetting
        mute unmute sendMessage sendSeen sendChannelAdminInvite acceptChannelAdminInvite
        revokeChannelAdminInvite demoteChannelAdmin transferChannelOwnership fetchMessages
        deleteChannel""",
    "Contact": """getProfilePicUrl getFormattedNumber getCountryCode getChat block unblock
        getAbout getCommonGroups getBroadcast""",
}


def _mentioned(doc: str, name: str) -> bool:
    """``name`` appears as a word inside some `code span` of the document."""
    return any(re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", span) for span in _spans(doc))


def _spans(doc: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", doc)


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_client_method_is_mapped(doc: str) -> None:
    assert [m for m in CLIENT_METHODS if not _mentioned(doc, m)] == []


def test_every_client_event_is_mapped(doc: str) -> None:
    assert [e for e in CLIENT_EVENTS if not _mentioned(doc, e)] == []


@pytest.mark.parametrize("structure", sorted(STRUCTURE_METHODS))
def test_every_structure_method_is_mapped(doc: str, structure: str) -> None:
    """Methods of a structure are named ``Structure.method`` (``msg.method`` for Message), as
    a bare name may be another structure's."""
    prefixes = (f"{structure}.", "msg.") if structure == "Message" else (f"{structure}.",)
    missing = [
        m
        for m in STRUCTURE_METHODS[structure].split()
        if not any(
            re.search(rf"(?:^|\W){re.escape(p)}{m}\b", span)
            for span in _spans(doc)
            for p in prefixes
        )
    ]
    assert missing == []


def test_unmapped_rows_say_why(doc: str) -> None:
    """A row whose wawebpy column is "—" must give a reason in its notes column."""
    bad = []
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 3 and cells[1] == "—" and not cells[2]:
            bad.append(line)
    assert bad == []
