"""Many tasks at once: reading task inventories, and delegation plans.

:func:`~outsourcing_rules.plan` and :class:`~outsourcing_rules.Plan` are in
the package facade too.
"""

from .figures import HireFigures, PlanFigures
from .inventory import Inventory, InventoryWarning, read_inventory, read_owner
from .plans import BANDS, Frequency, FrequencyGroup, Hire, Plan, frequency, plan

__all__ = [
    "BANDS",
    "Frequency",
    "FrequencyGroup",
    "Hire",
    "HireFigures",
    "Inventory",
    "InventoryWarning",
    "Plan",
    "PlanFigures",
    "frequency",
    "plan",
    "read_inventory",
    "read_owner",
]
