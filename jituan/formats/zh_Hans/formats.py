"""Figures grouped in thousands with commas (13,546), as the group's documents and our Excel
files write them: Django's zh_Hans has no thousands separator (and groups by 4 when told to), so
floatformat:"g" wrote 13546 where the registers wrote 13,546. Dates stay Django's."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
