"""Many tasks at once: reading task inventories, and delegation plans.

:func:`~outsourcing_rules.plan` and :class:`~outsourcing_rules.Plan`, what
programs use most, are in the package facade.
"""

from .inventory import Inventory, InventoryWarning, read_inventory, read_owner
from .plans import BANDS, Frequency, FrequencyGroup, Hire, frequency

__all__ = [
    "BANDS",
    "Frequency",
    "FrequencyGroup",
    "Hire",
    "Inventory",
    "InventoryWarning",
    "frequency",
    "read_inventory",
    "read_owner",
]
