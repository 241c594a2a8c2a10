"""The audit log: who changed or exported what, when, and which fields (issue 13).

The bottom area: every other area records into it (``eventhub.audit.log.record``) in the same transaction as the
change, and it imports none of them (rows point at users, events, series and people by foreign key only).
"""
