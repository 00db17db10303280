"""The page's module surface: names, members and semantics the spec fixes."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from wawebpy.testing import FakeWhatsApp

from .conftest import Browser, login

# module -> members that must exist (spec: wa-web-interface.md, wa-web-modules.md 2-4, App. B)
SURFACE: dict[str, list[str]] = {
    "WAWebSocketModel": ["Socket"],
    "WAWebConnModel": ["Conn"],
    "WAWebCmd": ["Cmd"],
    "WAWebOfflineHandler": ["OfflineMessageHandler"],
    "WAWebCompanionRegClientUtils": ["DEVICE_PLATFORM"],
    "WAWebAdvSignatureApi": [],
    "WAWebUserPrefsMultiDevice": ["getADVSecretKey"],
    "WAWebUserPrefsInfoStore": ["waNoiseInfo"],
    "WAWebSignalStoreApi": ["waSignalStore"],
    "WABase64": ["encodeB64", "decodeB64"],
    "WAWebAltDeviceLinkingApi": [
        "setPairingType",
        "initializeAltDeviceLinking",
        "startAltLinkingFlow",
    ],
    "WAWebUserPrefsMeUser": ["getMaybeMePnUser", "getMaybeMeLidUser"],
    "WAWebWidFactory": ["createWid", "asUserWidOrThrow", "toUserWid"],
    "WAWebMsgKey": ["newId", "fromString"],
    "WAWebCollections": [
        "Msg",
        "Chat",
        "Contact",
        "WAWebGroupMetadataCollection",
        "Label",
        "Blocklist",
        "Status",
        "Reactions",
        "Call",
        "WAWebCallCollection",
        "NewsletterMetadataCollection",
        "WAWebNewsletterMetadataCollection",
        "NewsletterCollection",
        "WAWebNewsletterCollection",
    ],
    "WAWebFindChatAction": ["findOrCreateLatestChat"],
    "WAWebSendMsgChatAction": ["addAndSendMsgToChat"],
    "WAWebGetEphemeralFieldsMsgActionsUtils": ["getEphemeralFields"],
    "WAWebMsgReply": ["canReplyMsg"],
    "WAWebQuotedMsgModelUtils": ["getQuotedMsgObj"],
    "WAWebUpdateUnreadChatAction": ["sendSeen", "markUnread"],
    "WAWebBuildConstants": ["VERSION_STR"],
    "WAWebMiscBrowserUtils": ["info"],
    "WAWebMsgCollection": ["MsgCollection"],
    "WAWebChatCollection": ["ChatCollection"],
    "WAWebContactCollection": ["ContactCollection", "getMeContact"],
    # messages: media, actions, polls (wa-web-modules.md 3.3, 3.5)
    "WAWebMediaOpaqueData": ["createFromData"],
    "WAWebPrepRawMedia": ["prepRawMedia"],
    "WAWebMediaStorage": ["getOrCreateMediaObject"],
    "WAWebMmsMediaTypes": ["msgToMediaType", "castToV4"],
    "WAWebMediaMmsV4Upload": ["uploadMedia", "uploadUnencryptedMedia"],
    "WAWebDownloadManager": ["downloadManager"],
    "WAWebChatForwardMessage": ["forwardMessages"],
    "WAWebSendMessageEditAction": ["sendMessageEdit"],
    "WAWebMsgActionCapability": [
        "canEditText",
        "canEditCaption",
        "canSenderRevokeMsg",
        "canAdminRevokeMsg",
        "canStarMsg",
    ],
    "WAWebSendReactionMsgAction": ["sendReactionToMsg"],
    "WAWebSendPinMessageAction": ["sendPinInChatMsg"],
    "WAWebPollsSendVoteMsgAction": ["sendVote"],
    "WAWebPollsVotesSchema": ["getTable"],
    "WAWebAddonReactionTableMode": ["reactionTableMode"],
    "WAWebAddonPollVoteTableMode": ["pollVoteTableMode"],
    "WAWebApiMessageInfoStore": ["queryMsgInfo"],
    "WAWebLinkPreviewChatAction": ["getLinkPreview"],
    "WALinkify": ["findLink", "findLinks"],
    # contacts, profile, chats, presence (wa-web-modules.md 3.5 "Chats..." and "Contacts...")
    "WAWebQueryExistsJob": ["queryWidExists"],
    "WAWebApiContact": ["getCurrentLid", "getPhoneNumber"],
    "WAWebBlockContactAction": ["blockContact", "unblockContact"],
    "WAWebContactStatusBridge": ["getStatus", "setMyStatus"],
    "WAWebContactProfilePicThumbBridge": [
        "requestProfilePicFromServer",
        "sendSetPicture",
        "requestDeletePicture",
    ],
    "WAWebSetPushnameConnAction": ["setPushname"],
    "WAWebFindCommonGroupsContactAction": ["findCommonGroups"],
    "WAWebApiDeviceList": ["getDeviceIds"],
    "WAWebSaveContactAction": ["saveContactAction"],
    "WAWebDeleteContactAction": ["deleteContactAction"],
    "WAWebChatClearBridge": ["sendClear"],
    "WAWebDeleteChatAction": ["sendDelete"],
    "WAWebChatStateBridge": [
        "sendChatStateComposing",
        "sendChatStateRecording",
        "sendChatStatePaused",
    ],
    "WAWebPresenceChatAction": ["sendPresenceAvailable", "sendPresenceUnavailable"],
    "WAWebContactPresenceBridge": ["subscribePresence", "subscribeUserPresence"],
    "WAWebChatLoadMessages": ["loadEarlierMsgs"],
    "WAWebPinInChatSchema": ["getTable"],
    "WAWebSendNonMessageDataRequest": ["sendPeerDataOperationRequest"],
    "WAWebUserPrefsGeneral": [
        "getAutoDownloadPhotos",
        "setAutoDownloadPhotos",
        "getAutoDownloadAudio",
        "setAutoDownloadAudio",
        "getAutoDownloadVideos",
        "setAutoDownloadVideos",
        "getAutoDownloadDocuments",
        "setAutoDownloadDocuments",
    ],
    "WAWebUserPrefsNotifications": [
        "getGlobalOfflineNotifications",
        "setGlobalOfflineNotifications",
    ],
    # groups (3.5 "Groups")
    "WAWebGroupCreateJob": ["createGroup"],
    "WASmaxGroupsAddParticipantsRPC": ["sendAddParticipantsRPC"],
    "WAWebModifyParticipantsGroupAction": [
        "removeParticipants",
        "promoteParticipants",
        "demoteParticipants",
    ],
    "WAWebGroupModifyInfoJob": ["setGroupSubject", "setGroupDescription"],
    "WAWebSetPropertyGroupAction": ["setGroupProperty"],
    "WAWebGroupQueryJob": ["queryGroupInvite", "resetGroupInviteCode"],
    "WAWebGroupInviteJob": ["joinGroupViaInvite"],
    "WAWebPresenceCollection": ["PresenceCollection"],
    "WAWebStatusCollection": ["StatusV3Collection"],
    "WAWebStreamModel": ["Stream"],
    "WAWebMexFetchGroupInviteCodeJob": ["fetchMexGroupInviteCode"],
    "WAWebGroupInviteV4Job": ["joinGroupViaInviteV4"],
    "WAWebExitGroupAction": ["sendExitGroup"],
    "WAWebApiMembershipApprovalRequestStore": ["getMembershipApprovalRequests"],
    "WASmaxGroupsMembershipRequestsActionRPC": ["sendMembershipRequestsActionRPC"],
    # status, calls, business (3.5 "Status / stories", "Calls", "Business")
    "WAWebSendStatusMsgAction": ["sendStatusTextMsgAction", "sendStatusMediaMsgAction"],
    "WAWebStatusGatingUtils": ["canCheckStatusRankingPosterGating"],
    "WAWebRevokeStatusAction": ["sendStatusRevokeMsgAction"],
    "WAWap": ["wap", "generateId"],
    "WADeprecatedSendIq": ["deprecatedCastStanza"],
    "WAWebGenerateEventCallLink": ["createEventCallLink"],
    "WAWebBizGatingUtils": ["smbNotesV1Enabled"],
    "WAWebNoteAction": ["noteAddAction", "retrieveOnlyNoteForChatJid"],
    "WAMediaCalculateFilehash": ["getRandomFilehash"],
    # channels (3.5 "Channels / newsletters")
    "WAWebNewsletterCreateQueryJob": ["createNewsletterQuery"],
    "WAWebNewsletterGatingUtils": [
        "isNewsletterCreationEnabled",
        "getMaxSubscriberNumber",
        "getNewsletterDirectoryPageSize",
    ],
    "WAWebLoadNewsletterPreviewChatAction": ["loadNewsletterPreviewChat"],
    "WAWebNewsletterSubscribeAction": ["subscribeToNewsletterAction"],
    "WAWebNewsletterUnsubscribeAction": ["unsubscribeFromNewsletterAction"],
    "WAWebNewsletterDirectorySearchAction": ["fetchNewsletterDirectories"],
    "WAWebNewsletterModelUtils": [
        "getRoleByIdentifier",
        "ADMIN_NOTIFICATIONS",
        "MUTED_STATE",
        "UNMUTED_STATE",
    ],
    "WAWebNewsletterMetadataQueryJob": ["queryNewsletterMetadataByInviteCode"],
    "WAWebMsgDataFromModel": ["msgDataFromMsgModel"],
    "WAWebNewsletterUpdateMsgsRecordsJob": [
        "addNewsletterMsgsRecords",
        "updateNewsletterMsgRecord",
    ],
    "WAWebNewsletterSendMessageJob": ["sendNewsletterMessageJob"],
    "WAWebNewsletterDeleteAction": ["deleteNewsletterAction"],
    "WAWebEditNewsletterMetadataAction": ["editNewsletterMetadataAction"],
    "WAWebNewsletterSendMsgAction": ["sendNewsletterAdminInviteMessage"],
    "WAWebMexAcceptNewsletterAdminInviteJob": ["acceptNewsletterAdminInvite"],
    "WAWebMexRevokeNewsletterAdminInviteJob": ["revokeNewsletterAdminInvite"],
    "WAWebDemoteNewsletterAdminAction": ["demoteNewsletterAdmin"],
    "WAWebChangeNewsletterOwnerAction": ["changeNewsletterOwnerAction"],
    "WAWebNewsletterDemoteAdminJob": ["demoteNewsletterAdminAction"],
    "WAWebMexFetchNewsletterSubscribersJob": ["mexFetchNewsletterSubscribers"],
    "WAWebNewsletterSubscriberListAction": ["getSubscribersInContacts"],
    "WAWebNewsletterUpdateUserSettingJob": ["updateNewsletterUserSetting"],
}

# Modules whose export is itself the function (wa-web-modules.md 3.0, 3.5).
CALLABLE = ["WAWebMediaUpdateMsg"]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWhatsApp]:
    with FakeWhatsApp(version="2.3000.1099999999") as f:
        yield f


@pytest.fixture(scope="module")
def page(browser: Browser, fake: FakeWhatsApp) -> Browser:
    login(browser, fake)
    return browser


def test_debug_version_is_configurable(page: Browser) -> None:
    assert page.run("return window.Debug.VERSION;") == "2.3000.1099999999"
    assert page.run("return require('WAWebBuildConstants').VERSION_STR;") == "2.3000.1099999999"


@pytest.mark.parametrize("module", sorted(SURFACE))
def test_module_has_spec_members(page: Browser, module: str) -> None:
    missing = page.run(
        "const m = require(args[0]); return args[1].filter((k) => m[k] === undefined);",
        module,
        SURFACE[module],
    )
    assert missing == []


@pytest.mark.parametrize("module", CALLABLE)
def test_module_is_callable(page: Browser, module: str) -> None:
    assert page.run("return typeof require(args[0]);", module) == "function"


def test_unknown_module_throws_naming_it(page: Browser) -> None:
    message = page.run(
        "try { require(args[0]); return null; } catch (e) { return e instanceof Error && e.message; }",
        "WAWebNoSuchModule",
    )
    assert message and "WAWebNoSuchModule" in message


def test_debug_modules_map_lists_wa_modules(page: Browser) -> None:
    names = page.run("return Object.keys(require('__debug').modulesMap);")
    assert "WAWebSocketModel" in names and "WAWebCollections" in names


def test_missing_modules_are_absent() -> None:
    profile = Path(tempfile.mkdtemp(prefix="wawebpy-fake-missing-"))
    with FakeWhatsApp(missing_modules={"WAWebSendMsgChatAction", "WAWebCmd"}) as f:
        b = Browser(profile)  # a browser of its own: this page lacks modules the recorder uses
        try:
            b.open(f.url)
            b.wait("return window.Debug && window.Debug.VERSION;")
            result = b.run(
                "return args[0].map((n) => { try { require(n); return 'present'; }"
                " catch (e) { return e.message; } });",
                ["WAWebSendMsgChatAction", "WAWebCmd", "WAWebSocketModel"],
            )
            assert 'Requiring unknown module "WAWebSendMsgChatAction"' in result[0]
            assert "WAWebCmd" in result[1]
            assert result[2] == "present"
            f.wait_for_qr()  # the page itself still works without those modules
        finally:
            b.quit()
            shutil.rmtree(profile, ignore_errors=True)


def test_wid_factory(page: Browser) -> None:
    r = page.run(
        """
        const {createWid} = require('WAWebWidFactory');
        const w = createWid('15551234567@c.us');
        const g = createWid('120363000000000001@g.us');
        const l = createWid('123456789012345@lid');
        const s = createWid('status@broadcast');
        const n = createWid('120363000000000002@newsletter');
        const own = (o) => Object.keys(o);
        return {
          own: own(w), user: w.user, server: w.server, ser: w._serialized, str: String(w),
          json: JSON.stringify({w}), jid: w.toJid(), gjid: g.toJid(),
          kinds: [w.isUser(), w.isGroup(), g.isGroup(), g.isUser(), l.isLid(), l.isUser(),
                  s.isStatus(), n.isNewsletter(), w.isLid()],
          eq: [w.equals(createWid('15551234567@c.us')), w.equals('15551234567@c.us'), w.equals(g)],
          fromJid: createWid('15551234567@s.whatsapp.net')._serialized,
          device: createWid('15551234567:3@c.us').device,
        };
        """
    )
    assert {"user", "server", "_serialized"} <= set(r["own"])
    assert (r["user"], r["server"], r["ser"], r["str"]) == (
        "15551234567",
        "c.us",
        "15551234567@c.us",
        "15551234567@c.us",
    )
    assert r["json"] == '{"w":"15551234567@c.us"}'
    assert r["jid"] == "15551234567@s.whatsapp.net"
    assert r["gjid"] == "120363000000000001@g.us"
    assert r["kinds"] == [True, False, True, False, True, True, True, True, False]
    assert r["eq"] == [True, True, False]
    assert r["fromJid"] == "15551234567@c.us"
    assert r["device"] == 3


def test_msg_key(page: Browser) -> None:
    r = page.run(
        """
        const MsgKey = require('WAWebMsgKey');
        const {createWid} = require('WAWebWidFactory');
        const me = createWid('15550000001@c.us');
        const ids = await Promise.all([MsgKey.newId(), MsgKey.newId()]);
        const out = new MsgKey({from: me, to: createWid('15551234567@c.us'), id: ids[0], selfDir: 'out'});
        const inc = new MsgKey({from: createWid('120363000000000001@g.us'), to: me, id: 'ABC',
                                participant: createWid('15551234567@c.us'), selfDir: 'in'});
        const alt = new MsgKey({fromMe: false, remote: createWid('15551234567@c.us'), id: 'XYZ'});
        const parsed = MsgKey.fromString(inc._serialized);
        return {
          ids, out: [out.fromMe, out.remote._serialized, out.id, out._serialized, out.remote.isUser()],
          inc: [inc.fromMe, inc.remote._serialized, inc.participant._serialized, inc._serialized],
          alt: alt._serialized, str: String(alt),
          parsed: [parsed.fromMe, parsed.remote._serialized, parsed.id, parsed.participant._serialized,
                   parsed.equals(inc)],
          isPromise: MsgKey.newId() instanceof Promise,
        };
        """
    )
    for i in r["ids"]:
        assert len(i) == 20 and i.startswith("3EB0") and i == i.upper()
        int(i, 16)
    assert r["ids"][0] != r["ids"][1]
    assert r["out"] == [
        True,
        "15551234567@c.us",
        r["ids"][0],
        f"true_15551234567@c.us_{r['ids'][0]}",
        True,
    ]
    assert r["inc"] == [
        False,
        "120363000000000001@g.us",
        "15551234567@c.us",
        "false_120363000000000001@g.us_ABC_15551234567@c.us",
    ]
    assert r["alt"] == r["str"] == "false_15551234567@c.us_XYZ"
    assert r["parsed"] == [False, "120363000000000001@g.us", "ABC", "15551234567@c.us", True]
    assert r["isPromise"] is True


def test_base64_and_qr_material(page: Browser) -> None:
    r = page.run(
        """
        const B = require('WABase64');
        const reg = await require('WAWebSignalStoreApi').waSignalStore.getRegistrationInfo();
        const noise = await require('WAWebUserPrefsInfoStore').waNoiseInfo.get();
        return {
          b64: B.encodeB64(new Uint8Array([0, 1, 2, 250, 255])),
          back: Array.from(new Uint8Array(B.decodeB64('AAEC+v8='))),
          identity: B.encodeB64(reg.identityKeyPair.pubKey),
          identityLen: reg.identityKeyPair.pubKey.byteLength,
          staticKey: B.encodeB64(noise.staticKeyPair.pubKey),
          adv: require('WAWebUserPrefsMultiDevice').getADVSecretKey(),
          adv2: require('WAWebUserPrefsMultiDevice').getADVSecretKey(),
          shadow: typeof require('WAWebAdvSignatureApi').getADVSecretKey,
          platform: require('WAWebCompanionRegClientUtils').DEVICE_PLATFORM,
        };
        """
    )
    assert r["b64"] == "AAEC+v8="
    assert r["back"] == [0, 1, 2, 250, 255]
    assert r["identityLen"] == 32
    assert len(r["identity"]) == len(r["staticKey"]) == len(r["adv"]) == 44
    assert r["adv"] == r["adv2"]
    # the real page carries the module without the member (wwebjs 1.34.7 AuthStore.js 14-19)
    assert r["shadow"] == "undefined"
    assert r["identity"] != r["staticKey"]
    assert r["platform"] is not None


def test_model_and_collection_events(page: Browser) -> None:
    r = page.run(
        """
        const {Msg, Chat} = require('WAWebCollections');
        const MsgKey = require('WAWebMsgKey');
        const {createWid} = require('WAWebWidFactory');
        const seen = [];
        const key = new MsgKey({fromMe: false, remote: createWid('15557777777@c.us'), id: 'EVT1'});
        const onAdd = (m) => seen.push(['add', m.id._serialized, m.isNewMsg]);
        const onEdit = (m, nv, pv) => seen.push(['edit', nv, pv]);
        const onAck = (m, ack) => seen.push(['ack', ack, m === Msg.get(key)]);
        Msg.on('add', onAdd);
        Msg.on('change:body change:caption', onEdit);
        Msg.on('change:ack', onAck);
        const m = new Msg.modelClass({id: key, body: 'a', type: 'chat', ack: 1, isNewMsg: true});
        Msg.add(m);
        Msg.add(m);  // adding again fires nothing
        m.body = 'b';
        m.set('caption', 'c');
        m.ack = 1;  // unchanged: no event
        m.ack = 3;
        let once = 0;
        m.once('change:type', () => once++);
        m.type = 'revoked';
        m.type = 'chat';
        const got = Msg.get(key._serialized) === m && Msg.get(key) === m;
        const ser = m.serialize();
        Msg.off('add', onAdd);
        Msg.off('change:body change:caption', onEdit);
        Msg.off('change:ack', onAck);
        Msg.on('remove', (x) => seen.push(['remove', x === m]));
        Msg.remove(m);
        Msg.off('remove');
        m.body = 'after';  // not in Msg any more: no collection event
        return {seen, once, got, serKeys: Object.keys(ser), idIsKey: ser.id instanceof MsgKey,
                models: Array.isArray(Msg.getModelsArray()), xfield: m.__x_body,
                chatFind: typeof Chat.find(createWid('15557777777@c.us')).then};
        """
    )
    assert r["seen"] == [
        ["add", "false_15557777777@c.us_EVT1", True],
        ["edit", "b", "a"],
        ["edit", "c", None],
        ["ack", 3, True],
        ["remove", True],
    ]
    assert r["once"] == 1
    assert r["got"] is True
    assert {"id", "body", "type", "ack", "isNewMsg", "caption"} <= set(r["serKeys"])
    assert r["idIsKey"] is True
    assert r["models"] is True
    assert r["xfield"] == "after"
    assert r["chatFind"] == "function"


def test_conn_and_me(page: Browser, fake: FakeWhatsApp) -> None:
    r = page.run(
        """
        const {Conn} = require('WAWebConnModel');
        const me = require('WAWebUserPrefsMeUser');
        const s = Conn.serialize();
        return {wid: String(s.wid), pushname: s.pushname, platform: s.platform, keys: Object.keys(s),
                ref: Conn.ref === undefined, can: Conn.canSetMyPushname(),
                pn: me.getMaybeMePnUser()._serialized, lid: me.getMaybeMeLidUser()._serialized};
        """
    )
    assert r["wid"] == r["pn"] == fake.me
    assert r["lid"] == fake.lid
    assert r["pushname"] == "Test Phone"
    assert r["platform"] == "android"
    assert {"ref", "wid", "pushname", "platform"} <= set(r["keys"])
    assert r["ref"] is True and r["can"] is True
