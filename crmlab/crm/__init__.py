"""The embedded CRM store (CRM系统): a SQLite file students query with SQL and change with the lab's operations.

``store = crmlab.crm.open(world, "crm.sqlite")`` loads a generated world; ``store.sql("SELECT ...")``
queries it; ``store.move_opportunity(...)``, ``store.approve_discount(...)`` … are the lab manual's
operations, each one transaction that is refused, with a clear message, when the input is bad.
"""
from crmlab.crm.operations import STAGES
from crmlab.crm.store import DEFAULT_PATH, CrmStore, open_store

open = open_store  # noqa: A001 - ``crmlab.crm.open(world)`` reads as the lab manual's "open the CRM"

__all__ = ["STAGES", "DEFAULT_PATH", "CrmStore", "open", "open_store"]
