"""The client's public methods, one mixin per concern, each beside its bridge file.

Every method validates its input in Python, calls one bridge operation through ``_call`` and
builds typed results; state-changing methods carry :func:`mutating`.
"""

from ._account import AccountApi
from ._base import ApiBase, mutating
from ._calls import CallsApi
from ._channels import ChannelsApi
from ._chats import ChatsApi
from ._contacts import ContactsApi
from ._groups import GroupsApi
from ._labels import LabelsApi
from ._messages import MessagesApi

__all__ = [
    "AccountApi",
    "ApiBase",
    "CallsApi",
    "ChannelsApi",
    "ChatsApi",
    "ContactsApi",
    "GroupsApi",
    "LabelsApi",
    "MessagesApi",
    "mutating",
]
