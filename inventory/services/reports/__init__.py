"""A citizen report after it was filed: the officers' moderation (moderation) and the
resident's private follow link (follow).

Filing a report and what the public sees of it live in inventory.services.public.reports,
which knows nothing of officers; this package takes an Actor and reads what only staff
may read (the resident's contact, pending and rejected reports), so every function here
checks the actor's rights per municipality itself (inventory.services.permissions).
"""
