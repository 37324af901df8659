"""The embedded CRM store (CRM系统): a SQLite file students query with SQL and change with the lab's operations.

``store = crmlab.crm.open(world, "crm.sqlite")`` loads a generated world into a new store,
``crmlab.crm.open("crm.sqlite")`` opens an existing one (never creating it), ``crmlab.crm.create(path)`` makes an
empty one; ``store.sql("SELECT ...")``
queries it; ``store.move_opportunity(...)``, ``store.approve_discount(...)`` … are the lab manual's
operations, each one transaction that is refused, with a clear message, when the input is bad.
"""
from crmlab.crm.operations import STAGES
from crmlab.crm.store import (
    APPLICATION_ID, DEFAULT_PATH, SCHEMA_VERSION, CrmStore, check_store_file, create_store, open_store,
)

open = open_store  # noqa: A001 - ``crmlab.crm.open(world)`` reads as the lab manual's "open the CRM"
create = create_store

__all__ = ["APPLICATION_ID", "STAGES", "DEFAULT_PATH", "SCHEMA_VERSION", "CrmStore", "check_store_file", "create",
           "create_store", "open", "open_store"]
