"""Reference for the facade generator: what a generated version facade should emit on top of intercom_ext.

Hand-written against the generated 2.11 package; exercised by ``test_ext_facade_example.py`` and
type-checked with ``mypy --strict`` (``MYPYPATH=generated mypy --strict tests/ext/facade_example.py``).
Every method is a thin shim: build ``_get_kwargs(...)`` with the generated function, pick a parser
(``json_parser(Model.from_dict)`` for a plain call, ``Model.from_dict`` + style + items accessor for
a list) and hand both to the runtime together with the caller's per-call ``options``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
from intercom_v2_11.api.companies import scroll_over_all_companies
from intercom_v2_11.api.contacts import delete_contact, list_contacts, search_contacts, show_contact
from intercom_v2_11.models.company import Company
from intercom_v2_11.models.company_scroll import CompanyScroll
from intercom_v2_11.models.contact import Contact
from intercom_v2_11.models.contact_deleted import ContactDeleted
from intercom_v2_11.models.contact_list import ContactList
from intercom_v2_11.models.search_request import SearchRequest
from intercom_v2_11.types import UNSET, Unset

from intercom_ext import (
    NOT_GIVEN,
    AsyncAPIClient,
    AsyncPager,
    NotGiven,
    PaginationStyle,
    RawResponse,
    RequestOptions,
    SyncAPIClient,
    SyncPager,
    json_parser,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from typing_extensions import Unpack

INTERCOM_VERSION = "2.11"


# -- sync ------------------------------------------------------------------------------------------


class Contacts:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def list(
        self,
        *,
        per_page: int | Unset = UNSET,
        starting_after: str | Unset = UNSET,
        max_items: int | None = None,
        max_pages: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPager[ContactList, Contact]:
        """List all contacts (cursor pagination; iterate for contacts, ``.pages()`` for pages)."""
        return self._client.paginate(
            list_contacts._get_kwargs(per_page=per_page, starting_after=starting_after),
            ContactList.from_dict,
            style=PaginationStyle.CURSOR,
            items=lambda page: page.data,
            max_items=max_items,
            max_pages=max_pages,
            options=options,
        )

    def search(
        self,
        *,
        body: SearchRequest,
        max_items: int | None = None,
        max_pages: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPager[ContactList, Contact]:
        """Search contacts (cursor in the body's ``pagination``)."""
        return self._client.paginate(
            search_contacts._get_kwargs(body=body),
            ContactList.from_dict,
            style=PaginationStyle.SEARCH,
            items=lambda page: page.data,
            max_items=max_items,
            max_pages=max_pages,
            options=options,
        )

    def get(self, contact_id: str, **options: Unpack[RequestOptions]) -> Contact:
        return self._client.request(
            show_contact._get_kwargs(contact_id), json_parser(Contact.from_dict), options=options
        )

    def get_raw(self, contact_id: str, **options: Unpack[RequestOptions]) -> RawResponse[Contact]:
        return self._client.request_raw(
            show_contact._get_kwargs(contact_id), json_parser(Contact.from_dict), options=options
        )

    def delete(self, contact_id: str, **options: Unpack[RequestOptions]) -> ContactDeleted:
        return self._client.request(
            delete_contact._get_kwargs(contact_id), json_parser(ContactDeleted.from_dict), options=options
        )


class Companies:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def scroll(
        self,
        *,
        max_items: int | None = None,
        max_pages: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPager[CompanyScroll, Company]:
        return self._client.paginate(
            scroll_over_all_companies._get_kwargs(),
            CompanyScroll.from_dict,
            style=PaginationStyle.SCROLL,
            items=lambda page: page.data,
            max_items=max_items,
            max_pages=max_pages,
            options=options,
        )


class Intercom(SyncAPIClient):
    """The 2.11 client: ``Intercom(token=..., region="eu")``."""

    def __init__(
        self,
        *,
        token: str | None = None,
        region: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            version_header=INTERCOM_VERSION,
            token=token,
            region=region,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
        )
        self.contacts = Contacts(self)
        self.companies = Companies(self)


# -- async -----------------------------------------------------------------------------------------


class AsyncContacts:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    def list(
        self,
        *,
        per_page: int | Unset = UNSET,
        starting_after: str | Unset = UNSET,
        max_items: int | None = None,
        max_pages: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ContactList, Contact]:
        # not ``async def``: the pager is lazy, ``async for c in client.contacts.list()`` just works
        return self._client.paginate(
            list_contacts._get_kwargs(per_page=per_page, starting_after=starting_after),
            ContactList.from_dict,
            style=PaginationStyle.CURSOR,
            items=lambda page: page.data,
            max_items=max_items,
            max_pages=max_pages,
            options=options,
        )

    def search(
        self,
        *,
        body: SearchRequest,
        max_items: int | None = None,
        max_pages: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ContactList, Contact]:
        return self._client.paginate(
            search_contacts._get_kwargs(body=body),
            ContactList.from_dict,
            style=PaginationStyle.SEARCH,
            items=lambda page: page.data,
            max_items=max_items,
            max_pages=max_pages,
            options=options,
        )

    async def get(self, contact_id: str, **options: Unpack[RequestOptions]) -> Contact:
        return await self._client.request(
            show_contact._get_kwargs(contact_id), json_parser(Contact.from_dict), options=options
        )

    async def get_raw(self, contact_id: str, **options: Unpack[RequestOptions]) -> RawResponse[Contact]:
        return await self._client.request_raw(
            show_contact._get_kwargs(contact_id), json_parser(Contact.from_dict), options=options
        )


class AsyncIntercom(AsyncAPIClient):
    def __init__(
        self,
        *,
        token: str | None = None,
        region: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            version_header=INTERCOM_VERSION,
            token=token,
            region=region,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
        )
        self.contacts = AsyncContacts(self)
